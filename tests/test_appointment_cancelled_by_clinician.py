"""When the clinician cancels, the client is told on their own channels, outside quiet hours."""

from datetime import UTC, datetime

import pytest

from interlude.outreach import appointments
from interlude.outreach.models import Delivery
from tests import factories as f
from tests.appointment_support import book, freeze, signed_client

pytestmark = pytest.mark.django_db

START = datetime(2030, 3, 5, 18, 0, tzinfo=UTC)  # Tuesday 13:00 in New York (EST)
SATURDAY_NOON = datetime(2030, 3, 2, 17, 0, tzinfo=UTC)  # Saturday 12:00 in New York
SATURDAY_NIGHT = datetime(2030, 3, 3, 4, 0, tzinfo=UTC)  # Saturday 23:00 in New York
SUNDAY_EIGHT = datetime(2030, 3, 3, 13, 0, tzinfo=UTC)  # Sunday 08:00, end of quiet hours


def told(appointment):
    return Delivery.objects.filter(ref_type="appointment", ref_id=str(appointment.pk),
                                   kind="cancelled_by_clinician").order_by("channel")


@pytest.fixture
def booked(monkeypatch):
    w = f.world()
    ana = signed_client(w.clinician, name="Ana Lopez", time_zone="America/New_York")
    ana.preferred_channels = ["in_app", "email"]
    ana.save()
    freeze(monkeypatch, SATURDAY_NOON)
    return w, ana, book(ana, START), monkeypatch


def test_the_client_is_told_at_once_on_each_of_their_channels(booked):
    w, ana, appointment = booked[:3]

    appointments.cancel_appointment(w.clinician.user, appointment)

    rows = list(told(appointment))
    assert [row.channel for row in rows] == ["email", "in_app"]
    assert all(row.recipient == ana.user and row.due_at == SATURDAY_NOON for row in rows)
    assert rows[0].address == ana.user.email
    assert "Ana" in rows[0].body and "cancel" in rows[0].body
    assert "video.example" not in rows[0].body  # no link or address in an email


def test_a_cancellation_at_night_reaches_the_client_when_their_quiet_hours_end(booked):
    w, ana, appointment, monkeypatch = booked
    freeze(monkeypatch, SATURDAY_NIGHT)

    appointments.cancel_appointment(w.clinician.user, appointment)

    assert {row.due_at for row in told(appointment)} == {SUNDAY_EIGHT}


def test_a_client_who_cancels_is_not_told_what_they_did(booked):
    w, ana, appointment = booked[:3]

    appointments.cancel_appointment(ana.user, appointment)

    assert not told(appointment).exists()


def test_the_notice_speaks_the_clients_language(booked):
    w, ana, appointment = booked[:3]
    ana.user.preferred_language = "es"
    ana.user.save()

    appointments.cancel_appointment(w.clinician.user, appointment)

    email = told(appointment).get(channel="email")
    assert email.subject.startswith("Se canceló tu cita")
