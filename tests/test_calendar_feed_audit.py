"""Reading a feed is audited, at most once per feed per hour (calendar apps poll often)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interlude.audit.models import AuditEvent
from interlude.outreach.calendar_feed import issue_feed
from interlude.outreach.models import Appointment, CalendarFeed
from tests import factories

pytestmark = pytest.mark.django_db


def reads(feed):
    return AuditEvent.objects.filter(action="view", object_type="calendar_feed",
                                     object_id=str(feed.pk))


def client_with_feed():
    person = factories.client(factories.clinician(factories.practice()))
    start = timezone.now() + timedelta(days=2)
    Appointment.objects.create(practice=person.practice, clinician=person.clinician,
                               client=person, start=start, end=start + timedelta(hours=1))
    token = issue_feed(person.user)
    return person, token, CalendarFeed.objects.get(user=person.user, revoked_at__isnull=True)


def test_the_first_read_is_audited_with_the_owner_and_no_clinical_text(client):
    person, token, feed = client_with_feed()

    assert client.get(f"/calendar/{token}.ics", REMOTE_ADDR="203.0.113.9").status_code == 200

    event = reads(feed).get()
    assert event.actor_id == person.user.pk
    assert event.client_id_ref == person.pk
    assert event.ip_address == "203.0.113.9"
    assert event.detail == {"appointments": 1, "owner": "client"}


def test_reads_within_the_hour_are_not_audited_again(client):
    _person, token, feed = client_with_feed()

    for _ in range(3):
        assert client.get(f"/calendar/{token}.ics").status_code == 200

    assert reads(feed).count() == 1


def test_a_read_an_hour_later_is_audited_again(client):
    _person, token, feed = client_with_feed()
    client.get(f"/calendar/{token}.ics")
    CalendarFeed.objects.filter(pk=feed.pk).update(
        last_audited_at=timezone.now() - timedelta(minutes=61))

    client.get(f"/calendar/{token}.ics")

    assert reads(feed).count() == 2


def test_a_refused_token_writes_nothing(client):
    _person, token, feed = client_with_feed()
    before = AuditEvent.objects.count()

    assert client.get(f"/calendar/{token}x.ics").status_code == 404

    assert AuditEvent.objects.count() == before
    assert CalendarFeed.objects.get(pk=feed.pk).last_audited_at is None


def test_making_and_turning_off_a_link_are_audited():
    person, _token, first = client_with_feed()

    issue_feed(person.user)

    made = AuditEvent.objects.filter(action="create", object_type="calendar_feed",
                                     actor=person.user).order_by("seq")
    assert made.count() == 2
    assert made.last().detail == {"revoked": 1}
