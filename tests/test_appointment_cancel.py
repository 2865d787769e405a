"""Cancelling frees the slot and withdraws the reminders. When the client cancels, the clinician
is told in their office hours: a notice in the app (and an email) due at their next office-hours
instant in their own zone, now if they are in their hours. A late cancellation is allowed and
recorded as late. Only the appointment's clinician and client can cancel it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from interlude.agreements.models import TimeOff
from interlude.audit.models import AuditEvent
from interlude.outreach import appointments
from interlude.outreach.models import Appointment, Delivery
from tests import factories as f
from tests.appointment_support import book, freeze, reminders_of, signed_client

pytestmark = pytest.mark.django_db

START = datetime(2030, 3, 5, 18, 0, tzinfo=UTC)  # Tuesday 10:00 in Los Angeles (PST)
SATURDAY = datetime(2030, 3, 2, 20, 0, tzinfo=UTC)
MONDAY_NINE = datetime(2030, 3, 4, 17, 0, tzinfo=UTC)  # Monday 09:00 in Los Angeles (PST)


def notices(appointment):
    return Delivery.objects.filter(ref_type="appointment", ref_id=str(appointment.pk),
                                   kind="cancelled_notice").order_by("channel")


@pytest.fixture
def setting(monkeypatch):
    w = f.world()
    f.weekday_hours(w.clinician)  # Monday to Friday, 09:00-17:00 in Los Angeles
    ana = signed_client(w.clinician, name="Ana Lopez")
    freeze(monkeypatch, SATURDAY)
    return w, ana, book(ana, START)


def test_it_tells_the_clinician_on_monday_morning_when_a_client_cancels_on_saturday(setting):
    w, ana, appointment = setting
    assert reminders_of(appointment, "pending").count() == 4

    appointments.cancel_appointment(ana.user, appointment, via="page")

    appointment.refresh_from_db()
    assert appointment.status == "cancelled" and appointment.cancelled_by == ana.user
    assert appointment.cancelled_at == SATURDAY
    assert not reminders_of(appointment, "pending").exists()
    assert reminders_of(appointment, "cancelled").count() == 4
    rows = list(notices(appointment))
    assert [(r.channel, r.recipient, r.due_at, r.state) for r in rows] == [
        ("email", w.clinician.user, MONDAY_NINE, "pending"),
        ("in_app", w.clinician.user, MONDAY_NINE, "pending")]
    assert rows[0].address == w.clinician.user.email
    assert [r.idempotency_key for r in rows] == [f"appointment:{appointment.pk}:cancelled:email",
                                                 f"appointment:{appointment.pk}:cancelled:in_app"]
    assert "Ana Lopez" in rows[1].body and "Ana Lopez" not in rows[0].body  # name in-app only
    event = AuditEvent.objects.get(action="cancel", object_type="Appointment")
    assert event.actor == ana.user and event.client_id_ref == ana.pk
    assert event.detail == {"via": "page", "by": "client", "late": False}


def test_it_frees_the_slot_for_another_booking(setting):
    w, ana, appointment = setting
    appointments.cancel_appointment(ana.user, appointment)

    again = book(ana, START)

    assert again.pk != appointment.pk
    assert list(Appointment.objects.filter(start=START).values_list("status", flat=True)
                .order_by("pk")) == ["cancelled", "scheduled"]


def test_it_tells_the_clinician_at_once_inside_their_hours(setting, monkeypatch):
    w, ana, appointment = setting
    monday_ten = MONDAY_NINE + timedelta(hours=1)
    freeze(monkeypatch, monday_ten)

    appointments.cancel_appointment(ana.user, appointment, via="sms")

    assert {row.due_at for row in notices(appointment)} == {monday_ten}
    assert AuditEvent.objects.get(action="cancel").detail["via"] == "sms"


def test_it_waits_for_the_end_of_the_clinicians_time_off(setting):
    w, ana, appointment = setting
    TimeOff.objects.create(clinician=w.clinician, starts_at=MONDAY_NINE - timedelta(hours=12),
                           ends_at=MONDAY_NINE + timedelta(days=1), kind="vacation")

    appointments.cancel_appointment(ana.user, appointment)

    assert {row.due_at for row in notices(appointment)} == {MONDAY_NINE + timedelta(days=1)}


def test_it_follows_the_clinicians_clock_across_the_change_to_summer_time(monkeypatch):
    w = f.world()
    f.weekday_hours(w.clinician)
    ana = signed_client(w.clinician)
    # Saturday 9 March 2030; Los Angeles moves to PDT (UTC-7) on Sunday 10 March.
    freeze(monkeypatch, datetime(2030, 3, 9, 20, 0, tzinfo=UTC))
    appointment = book(ana, datetime(2030, 3, 12, 17, 0, tzinfo=UTC))

    appointments.cancel_appointment(ana.user, appointment)

    assert {row.due_at for row in notices(appointment)} == {
        datetime(2030, 3, 11, 16, 0, tzinfo=UTC)}  # Monday 09:00 PDT


def test_it_records_a_late_cancellation_by_the_client(setting, monkeypatch):
    w, ana, appointment = setting
    freeze(monkeypatch, START - timedelta(hours=10))

    appointments.cancel_appointment(ana.user, appointment, via="email_link")

    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert AuditEvent.objects.get(action="cancel").detail == {
        "via": "email_link", "by": "client", "late": True}


def test_it_does_not_notify_a_clinician_who_cancelled_themself(setting):
    w, ana, appointment = setting

    appointments.cancel_appointment(w.clinician.user, appointment)

    assert not notices(appointment).exists()
    assert not reminders_of(appointment, "pending").exists()
    assert AuditEvent.objects.get(action="cancel").detail["by"] == "clinician"


def test_it_refuses_a_second_cancellation_and_one_after_the_start(setting, monkeypatch):
    w, ana, appointment = setting
    later = book(ana, START + timedelta(days=1))
    appointments.cancel_appointment(ana.user, appointment)

    with pytest.raises(ValidationError) as twice:
        appointments.cancel_appointment(ana.user, appointment)
    assert twice.value.messages == ["This appointment is already cancelled."]
    freeze(monkeypatch, later.start + timedelta(minutes=5))
    with pytest.raises(ValidationError):
        appointments.cancel_appointment(ana.user, later)
    later.refresh_from_db()
    assert later.status == "scheduled"
    assert notices(appointment).count() == 2 and not notices(later).exists()


def test_it_lets_nobody_else_cancel(setting, client):
    w, ana, appointment = setting
    for user in (w.other_clinician.user, w.client.user, w.other_client.user, w.admin,
                 w.foreign_clinician.user, w.foreign_client.user):
        with pytest.raises(Http404):
            appointments.cancel_appointment(user, appointment)
    f.verified_login(client, w.other_client.user)
    assert client.post(f"/me/appointments/{appointment.pk}/cancel/").status_code == 404
    f.verified_login(client, w.other_clinician.user)
    assert client.post(f"/appointments/{appointment.pk}/cancel/").status_code == 404
    with pytest.raises(ValueError):
        appointments.cancel_appointment(ana.user, appointment, via="fax")
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"
    assert reminders_of(appointment, "pending").count() == 4


def test_a_client_cancels_from_their_page_after_a_confirmation_step(setting, client):
    w, ana, appointment = setting
    f.verified_login(client, ana.user)

    asked = client.get(f"/me/appointments/{appointment.pk}/cancel/")
    assert asked.status_code == 200
    assert "Yes, cancel the appointment" in asked.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"

    response = client.post(f"/me/appointments/{appointment.pk}/cancel/")

    assert response.status_code == 302 and response["Location"] == "/me/appointments/"
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert notices(appointment).count() == 2


def test_a_clinician_cancels_from_their_page_after_a_confirmation_step(setting, client):
    w, ana, appointment = setting
    f.verified_login(client, w.clinician.user)

    asked = client.get(f"/appointments/{appointment.pk}/cancel/")
    assert asked.status_code == 200
    assert "Ana Lopez" in asked.content.decode()
    assert Appointment.objects.get().status == "scheduled"

    response = client.post(f"/appointments/{appointment.pk}/cancel/")

    assert response.status_code == 302
    assert Appointment.objects.get().status == "cancelled"
