"""The client confirms their own appointment from their appointments page; confirming twice is
harmless; a cancelled or started appointment cannot be confirmed; nobody else can confirm."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from interlude.audit.models import AuditEvent
from interlude.outreach import appointments
from interlude.outreach.models import Appointment
from tests import factories as f
from tests.appointment_support import book, freeze, reminders_of, signed_client

pytestmark = pytest.mark.django_db

START = datetime(2030, 3, 5, 18, 0, tzinfo=UTC)


def test_a_client_confirms_their_appointment_from_their_page(client):
    w = f.world()
    ana = signed_client(w.clinician)
    appointment = book(ana, START)
    keys = set(reminders_of(appointment, "pending").values_list("idempotency_key", flat=True))
    f.verified_login(client, ana.user)

    response = client.post(f"/me/appointments/{appointment.pk}/confirm/")

    assert response.status_code == 302 and response["Location"] == "/me/appointments/"
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"
    event = AuditEvent.objects.get(action="confirm", object_type="Appointment")
    assert event.actor == ana.user and event.detail == {"via": "page"}
    assert event.client_id_ref == ana.pk
    # The reminders still go: confirming does not change the time.
    assert set(reminders_of(appointment, "pending")
               .values_list("idempotency_key", flat=True)) == keys
    page = client.get("/me/appointments/").content.decode()
    assert "Thank you. Your appointment is confirmed." in page
    assert "Confirmed" in page


def test_confirming_twice_is_harmless():
    w = f.world()
    appointment = book(w.client, START)

    appointments.confirm_appointment(w.client.user, appointment)
    appointments.confirm_appointment(w.client.user, appointment, via="sms")

    assert Appointment.objects.get().status == "confirmed"
    assert AuditEvent.objects.filter(action="confirm").count() == 1


def test_it_refuses_to_confirm_a_cancelled_or_started_appointment(client, monkeypatch):
    w = f.world()
    cancelled = book(w.client, START)
    appointments.cancel_appointment(w.clinician.user, cancelled)
    f.verified_login(client, w.client.user)

    response = client.post(f"/me/appointments/{cancelled.pk}/confirm/", follow=True)

    assert "This appointment was cancelled, so it cannot be confirmed." in (
        response.content.decode())
    assert Appointment.objects.get(pk=cancelled.pk).status == "cancelled"
    started = book(w.client, START + timedelta(days=1))
    freeze(monkeypatch, started.start + timedelta(minutes=1))
    with pytest.raises(ValidationError):
        appointments.confirm_appointment(w.client.user, started)
    assert Appointment.objects.get(pk=started.pk).status == "scheduled"
    assert not AuditEvent.objects.filter(action="confirm").exists()


def test_only_the_client_confirms(client):
    w = f.world()
    appointment = book(w.client, START)
    for user in (w.clinician.user, w.other_client.user, w.other_clinician.user, w.admin,
                 w.foreign_client.user):
        with pytest.raises(Http404):
            appointments.confirm_appointment(user, appointment)
    f.verified_login(client, w.other_client.user)
    assert client.post(f"/me/appointments/{appointment.pk}/confirm/").status_code == 404
    f.verified_login(client, w.clinician.user)
    assert client.post(f"/me/appointments/{appointment.pk}/confirm/").status_code == 404
    assert client.get(f"/me/appointments/{appointment.pk}/confirm/").status_code in (404, 405)
    assert Appointment.objects.get().status == "scheduled"
    assert not AuditEvent.objects.filter(action="confirm").exists()
