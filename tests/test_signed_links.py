"""The confirm and cancel links in reminders: opening one (GET) shows the appointment's time and
a button and changes nothing, as mail scanners open links; pressing the button (POST) confirms
or cancels. A tampered link is refused, an expired one too, and a link for an earlier time of a
moved appointment says the time changed. Every use is audited; no login is needed and nothing
but the appointment's date and time is shown."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import signing

from interlude.audit.models import AuditEvent
from interlude.outreach import appointments, links
from interlude.outreach.models import Appointment, Delivery
from tests import factories as f
from tests.appointment_support import book, freeze, signed_client

pytestmark = pytest.mark.django_db

START = datetime(2030, 3, 5, 18, 0, tzinfo=UTC)  # 13:00 in New York


@pytest.fixture
def ana():
    w = f.world()
    return signed_client(w.clinician, name="Ana Lopez")


@pytest.fixture
def appointment(ana):
    return book(ana, START, location="https://video.example/room/secret")


def test_opening_a_confirm_link_shows_the_time_and_changes_nothing(client, appointment):
    response = client.get(links.link_path(appointment, "confirm"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Tuesday 5 March at 13:00 (America/New_York)" in content
    assert '<form method="post">' in content and "Yes, I will come" in content
    for private in ("Ana", appointment.client.user.email, "video.example",
                    appointment.clinician.display_name):
        assert private not in content
    assert Appointment.objects.get().status == "scheduled"
    event = AuditEvent.objects.get(action="view", object_type="Appointment")
    assert event.detail == {"via": "email_link", "action": "confirm"}
    assert event.client_id_ref == appointment.client_id


def test_pressing_the_button_confirms(client, appointment):
    response = client.post(links.link_path(appointment, "confirm"))

    assert response.status_code == 200
    assert "Your appointment is confirmed" in response.content.decode()
    assert Appointment.objects.get().status == "confirmed"
    event = AuditEvent.objects.get(action="confirm")
    assert event.actor == appointment.client.user
    assert event.detail == {"via": "email_link"}


def test_pressing_the_button_of_a_cancel_link_cancels_and_tells_the_clinician(client,
                                                                            appointment):
    path = links.link_path(appointment, "cancel")
    assert client.get(path).status_code == 200
    assert Appointment.objects.get().status == "scheduled"

    response = client.post(path)

    assert response.status_code == 200
    assert "Your appointment is cancelled" in response.content.decode()
    assert Appointment.objects.get().status == "cancelled"
    assert AuditEvent.objects.get(action="cancel").detail["via"] == "email_link"
    assert Delivery.objects.filter(kind="cancelled_notice").count() == 2
    assert not Delivery.objects.filter(kind="reminder", state="pending").exists()


def test_a_tampered_link_is_refused(client, appointment):
    token = links.make_token(appointment, "confirm")
    payload, rest = token.split(":", 1)
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + ":" + rest
    forged = signing.dumps({"a": appointment.pk, "s": 0, "x": "confirm",
                            "e": int(START.timestamp())}, salt="another salt")
    wrong_action = links.make_token(appointment, "cancel")

    for path in (f"/a/{tampered}/confirm/", f"/a/{forged}/confirm/",
                 f"/a/{wrong_action}/confirm/", "/a/nonsense/confirm/"):
        assert client.get(path).status_code == 400
        response = client.post(path)
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert Appointment.objects.get().status == "scheduled"
    assert not AuditEvent.objects.filter(action__in=("confirm", "cancel")).exists()


def test_a_link_expires_when_the_appointment_starts(client, appointment, monkeypatch):
    path = links.link_path(appointment, "cancel")
    freeze(monkeypatch, START)

    response = client.post(path)

    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert Appointment.objects.get().status == "scheduled"
    event = AuditEvent.objects.get(action="link_refused")
    assert event.detail == {"action": "cancel", "reason": "expired"}


def test_a_link_for_an_earlier_time_says_the_time_changed(client, appointment):
    old = links.link_path(appointment, "confirm")
    later = START + timedelta(days=2)
    appointments.move_appointment(appointment.clinician.user, appointment, start=later,
                                  end=later + timedelta(minutes=50))

    response = client.post(old)

    assert response.status_code == 410
    content = response.content.decode()
    assert "The time of this appointment changed" in content
    assert "Thursday 7 March at 13:00" in content
    moved = Appointment.objects.get()
    assert moved.status == "scheduled" and moved.sequence == 1
    assert client.post(links.link_path(moved, "confirm")).status_code == 200
    assert Appointment.objects.get().status == "confirmed"


def test_a_link_to_a_cancelled_appointment_says_so(client, appointment):
    path = links.link_path(appointment, "confirm")
    appointments.cancel_appointment(appointment.clinician.user, appointment)

    response = client.post(path)

    assert response.status_code == 410
    assert "This appointment was cancelled" in response.content.decode()
    assert Appointment.objects.get().status == "cancelled"


def test_a_spanish_speaking_client_reads_the_link_page_in_spanish(client):
    w = f.world()
    lucia = signed_client(w.clinician, time_zone="Europe/Madrid", country="ES", region="",
                          language="es")
    appointment = book(lucia, START)

    content = client.get(links.link_path(appointment, "confirm")).content.decode()

    assert "Confirma tu cita" in content and "martes 5 de marzo" in content
    assert '<html lang="es">' in content
