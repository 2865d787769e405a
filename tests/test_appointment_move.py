"""Moving an appointment bumps its sequence, withdraws the reminders for the old time and plans
new ones, and asks the client to confirm again. A cancelled appointment stays put, and only the
client's own clinician can move one."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from interlude.audit.models import AuditEvent
from interlude.outreach import appointments
from interlude.outreach.models import Appointment
from tests import factories as f
from tests.appointment_support import book, reminders_of, signed_client

pytestmark = pytest.mark.django_db

START = datetime(2030, 3, 5, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles, 13:00 in New York
LATER = datetime(2030, 3, 7, 19, 0, tzinfo=UTC)  # 11:00 in Los Angeles, 14:00 in New York


def test_it_moves_an_appointment_and_supersedes_its_reminders(client):
    w = f.world()
    ana = signed_client(w.clinician)
    appointment = book(ana, START)
    appointments.confirm_appointment(ana.user, appointment)
    old = {row.pk: row.idempotency_key for row in reminders_of(appointment)}
    f.verified_login(client, w.clinician.user)

    response = client.post(f"/appointments/{appointment.pk}/move/",
                           {"day": "2030-03-07", "start_time": "11:00", "duration": "60"})

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == LATER and appointment.end == LATER + timedelta(hours=1)
    assert appointment.sequence == 1
    assert appointment.status == "scheduled"  # the confirmation was for the old time
    assert len(old) == 4 and all(f":{appointment.pk}:0:" in key for key in old.values())
    assert set(reminders_of(appointment, "cancelled").values_list("pk", flat=True)) == set(old)
    pending = list(reminders_of(appointment, "pending"))
    assert len(pending) == 4
    assert {row.idempotency_key for row in pending} == {
        f"reminder:{appointment.pk}:1:{m}:{c}" for m in (2880, 120) for c in ("in_app", "email")}
    assert {row.due_at for row in pending} == {LATER - timedelta(hours=48),
                                               LATER - timedelta(hours=2)}
    event = AuditEvent.objects.get(action="move", object_type="Appointment")
    assert event.actor == w.clinician.user and event.detail["sequence"] == 1


def test_it_refuses_to_move_onto_another_appointment_but_may_move_within_its_own_slot():
    w = f.world()
    ana = signed_client(w.clinician, name="Ana Lopez")
    first = book(ana, START)
    second = book(ana, LATER)

    with pytest.raises(ValidationError) as clash:
        appointments.move_appointment(w.clinician.user, second, start=START + timedelta(
            minutes=30), end=START + timedelta(minutes=80))
    assert "overlaps your appointment with Ana Lopez" in clash.value.messages[0]
    second.refresh_from_db()
    assert second.start == LATER and second.sequence == 0
    assert reminders_of(second, "pending").count() == 4

    moved = appointments.move_appointment(w.clinician.user, first,
                                          start=START + timedelta(minutes=10),
                                          end=START + timedelta(minutes=60))
    assert moved.sequence == 1


def test_it_refuses_to_move_a_cancelled_appointment():
    w = f.world()
    ana = signed_client(w.clinician)
    appointment = book(ana, START)
    appointments.cancel_appointment(ana.user, appointment)

    with pytest.raises(ValidationError) as refused:
        appointments.move_appointment(w.clinician.user, appointment, start=LATER,
                                      end=LATER + timedelta(hours=1))

    assert refused.value.messages == ["A cancelled or past appointment cannot be moved."]
    appointment.refresh_from_db()
    assert appointment.start == START and appointment.status == "cancelled"
    assert not reminders_of(appointment, "pending").exists()


def test_it_lets_only_the_clients_own_clinician_move_it(client):
    w = f.world()
    appointment = book(w.client, START)
    foreign = book(w.foreign_client, START)
    for user in (w.other_clinician.user, w.admin, w.client.user, w.foreign_clinician.user):
        with pytest.raises(Http404):
            appointments.move_appointment(user, appointment, start=LATER,
                                          end=LATER + timedelta(hours=1))
    f.verified_login(client, w.other_clinician.user)
    assert client.get(f"/appointments/{appointment.pk}/move/").status_code == 404
    f.verified_login(client, w.clinician.user)
    assert client.post(f"/appointments/{foreign.pk}/move/", {
        "day": "2030-03-07", "start_time": "11:00", "duration": "50"}).status_code == 404
    assert set(Appointment.objects.values_list("sequence", flat=True)) == {0}
    assert not AuditEvent.objects.filter(action="move").exists()
