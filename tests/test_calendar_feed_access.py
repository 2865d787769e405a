"""A feed holds its owner's appointments only; nobody else's ever appear in it."""

from datetime import timedelta

import pytest
import vobject
from django.utils import timezone

from interlude.outreach.calendar_feed import issue_feed
from interlude.outreach.models import Appointment
from tests import factories

pytestmark = pytest.mark.django_db


def book(person, days):
    start = timezone.now() + timedelta(days=days)
    return Appointment.objects.create(practice=person.practice, clinician=person.clinician,
                                      client=person, start=start, end=start + timedelta(hours=1))


def uids(django_client, user):
    response = django_client.get(f"/calendar/{issue_feed(user)}.ics")
    assert response.status_code == 200
    calendar = vobject.readOne(response.content.decode())
    return {e.uid.value for e in getattr(calendar, "vevent_list", [])}


def uid(row):
    return f"appointment-{row.pk}@interlude"


@pytest.fixture
def booked():
    w = factories.world()
    second_client_same_clinician = factories.client(w.clinician)
    rows = {
        "mine": book(w.client, 1),
        "same_clinician_other_client": book(second_client_same_clinician, 2),
        "other_clinician": book(w.other_client, 3),
        "foreign": book(w.foreign_client, 4),
    }
    return w, second_client_same_clinician, rows


def test_a_client_sees_only_their_own_appointments(client, booked):
    w, _second, rows = booked

    assert uids(client, w.client.user) == {uid(rows["mine"])}


def test_a_clinician_sees_their_own_clients_only(client, booked):
    w, _second, rows = booked

    assert uids(client, w.clinician.user) == {uid(rows["mine"]),
                                               uid(rows["same_clinician_other_client"])}
    assert uids(client, w.other_clinician.user) == {uid(rows["other_clinician"])}
    assert uids(client, w.foreign_clinician.user) == {uid(rows["foreign"])}


def test_another_clients_feed_never_shows_mine(client, booked):
    w, second, rows = booked

    seen = uids(client, second.user) | uids(client, w.other_client.user) | uids(
        client, w.foreign_client.user)

    assert uid(rows["mine"]) not in seen
