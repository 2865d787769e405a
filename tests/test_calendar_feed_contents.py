"""A calendar feed lists the owner's appointments in the window, read back by an independent
iCalendar parser (vobject), with the minimum necessary in each event."""

from datetime import UTC, datetime, timedelta

import pytest
import vobject
from django.utils import timezone

from interlude.outreach.calendar_feed import issue_feed
from interlude.outreach.models import Appointment
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def appointment(client, start, minutes=50, **fields):
    return Appointment.objects.create(practice=client.practice, clinician=client.clinician,
                                      client=client, start=start,
                                      end=start + timedelta(minutes=minutes), **fields)


def read_feed(django_client, user):
    response = django_client.get(f"/calendar/{issue_feed(user)}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return vobject.readOne(response.content.decode())


def events_by_uid(calendar):
    return {event.uid.value: event for event in getattr(calendar, "vevent_list", [])}


def test_it_lists_the_clients_appointments_with_stable_uid_sequence_and_status(client):
    person = factories.client(factories.clinician(factories.practice(), name="Dr. Rivera"),
                              name="Jamie Doe")
    moved = appointment(person, NOW + timedelta(days=2), sequence=3,
                        status=Appointment.Status.CONFIRMED)
    cancelled = appointment(person, NOW + timedelta(days=9), status=Appointment.Status.CANCELLED,
                            kind=Appointment.Kind.PHONE)

    events = events_by_uid(read_feed(client, person.user))

    assert set(events) == {f"appointment-{moved.pk}@interlude",
                           f"appointment-{cancelled.pk}@interlude"}
    first = events[f"appointment-{moved.pk}@interlude"]
    assert first.sequence.value == "3"
    assert first.status.value == "CONFIRMED"
    assert first.summary.value == "Video session with Dr. Rivera"
    assert first.dtstart.value == moved.start
    assert first.dtend.value == moved.end
    assert first.dtstamp.value == moved.updated_at.replace(microsecond=0)
    second = events[f"appointment-{cancelled.pk}@interlude"]
    assert second.status.value == "CANCELLED"
    assert second.summary.value == "Phone session with Dr. Rivera"


def test_it_gives_the_clinician_initials_only_and_never_a_location_or_link(client):
    clinician = factories.clinician(factories.practice())
    person = factories.client(clinician, name="Jamie Lee Doe")
    appointment(person, NOW + timedelta(days=1), location="https://video.example/room-secret")
    appointment(person, NOW + timedelta(days=3), kind=Appointment.Kind.IN_PERSON,
                location="12 Harbor Street")

    calendar = read_feed(client, clinician.user)
    text = calendar.serialize()

    summaries = sorted(e.summary.value for e in calendar.vevent_list)
    assert summaries == ["In-person session: J. L. D.", "Video session: J. L. D."]
    assert "Jamie" not in text and "Doe" not in text
    assert "room-secret" not in text and "Harbor Street" not in text
    assert all(not hasattr(e, "location") for e in calendar.vevent_list)


def test_it_keeps_to_thirty_days_back_and_one_year_ahead(client):
    person = factories.client(factories.clinician(factories.practice()))
    inside = [appointment(person, NOW - timedelta(days=29)),
              appointment(person, NOW + timedelta(days=364))]
    appointment(person, NOW - timedelta(days=31))
    appointment(person, NOW + timedelta(days=366))

    events = events_by_uid(read_feed(client, person.user))

    assert set(events) == {f"appointment-{a.pk}@interlude" for a in inside}


def test_it_reflects_a_moved_appointment_under_the_same_uid_with_a_higher_sequence(client):
    person = factories.client(factories.clinician(factories.practice()))
    row = appointment(person, NOW + timedelta(days=2))
    token = issue_feed(person.user)
    before = vobject.readOne(client.get(f"/calendar/{token}.ics").content.decode()).vevent

    row.start, row.end = row.start + timedelta(hours=3), row.end + timedelta(hours=3)
    row.sequence += 1
    row.updated_at = row.updated_at + timedelta(minutes=5)
    row.save()
    after = vobject.readOne(client.get(f"/calendar/{token}.ics").content.decode()).vevent

    assert after.uid.value == before.uid.value
    assert int(after.sequence.value) == int(before.sequence.value) + 1
    assert after.dtstart.value - before.dtstart.value == timedelta(hours=3)
    assert after.dtstamp.value > before.dtstamp.value


def test_it_answers_an_empty_calendar_for_a_person_without_appointments(client):
    person = factories.client(factories.clinician(factories.practice()))

    calendar = read_feed(client, person.user)

    assert calendar.version.value == "2.0"
    assert events_by_uid(calendar) == {}


def test_it_names_events_in_the_clients_language(client):
    person = factories.client(factories.clinician(factories.practice(), name="Dra. Soto"),
                              language="es")
    appointment(person, NOW + timedelta(days=1))

    calendar = read_feed(client, person.user)

    # Until the Spanish catalogue has this phrase, the English one is the honest fallback.
    assert calendar.vevent.summary.value in ("Sesión por video con Dra. Soto",
                                             "Video session with Dra. Soto")
    assert "Dra. Soto" in calendar.vevent.summary.value
