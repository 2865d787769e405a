"""A schedule relative to appointments sends before each upcoming one, follows an appointment
that moves (its sequence changes, so the old delivery is withdrawn and a new one planned), and
withdraws the delivery of a cancelled appointment."""

from datetime import timedelta

import pytest

from interlude.outreach import outbox, schedules
from interlude.outreach.models import Appointment
from tests import factories as f
from tests.test_schedule_planner import (
    appointment,
    appointment_schedule,
    keys,
    rows_of,
    signed,
    utc,
)

pytestmark = pytest.mark.django_db

NOW = utc(2030, 1, 6, 12)
DAY = 24 * 60


def move(appt, start):
    """What the appointment rules do when an appointment moves."""
    Appointment.objects.filter(pk=appt.pk).update(start=start, end=start + timedelta(hours=1),
                                                  sequence=appt.sequence + 1)
    outbox.cancel_pending("appointment", appt.pk)
    appt.refresh_from_db()
    return appt


def test_it_plans_a_delivery_before_each_upcoming_appointment():
    w = f.world()
    signed(w.client)
    first = appointment(w.client, utc(2030, 1, 7, 20))
    second = appointment(w.client, utc(2030, 1, 8, 11))
    appointment(w.client, utc(2030, 1, 9, 15))  # its message falls beyond the horizon
    appointment(w.client, utc(2030, 1, 7, 15), status="cancelled")
    schedule = appointment_schedule(w.client, DAY)

    planned = schedules.plan_due_occurrences(NOW)

    assert planned == 2
    rows = list(rows_of(schedule))
    assert keys(rows) == [f"schedule:{schedule.pk}:v1:appt:{first.pk}:0",
                          f"schedule:{schedule.pk}:v1:appt:{second.pk}:0"]
    # A day before 15:00 EST is 15:00 EST (20:00 UTC). A day before the 06:00 EST session is
    # inside the client's quiet hours (21:00-08:00): it goes when they end, 08:00 EST (13:00
    # UTC), still before the session.
    assert [row.due_at for row in rows] == [utc(2030, 1, 6, 20), utc(2030, 1, 7, 13)]


def test_it_follows_an_appointment_that_moves():
    w = f.world()
    signed(w.client)
    appt = appointment(w.client, utc(2030, 1, 7, 20))
    schedule = appointment_schedule(w.client, DAY)
    schedules.plan_due_occurrences(NOW)
    old = rows_of(schedule).get()

    appt = move(appt, utc(2030, 1, 7, 22))
    schedules.plan_due_occurrences(NOW + timedelta(minutes=1))

    old.refresh_from_db()
    assert old.state == "cancelled"
    new = rows_of(schedule, "pending").get()
    assert new.idempotency_key == f"schedule:{schedule.pk}:v1:appt:{appt.pk}:1"
    assert new.due_at == utc(2030, 1, 6, 22)


def test_it_withdraws_the_delivery_of_a_cancelled_appointment():
    w = f.world()
    signed(w.client)
    appt = appointment(w.client, utc(2030, 1, 7, 20))
    schedule = appointment_schedule(w.client, DAY)
    schedules.plan_due_occurrences(NOW)

    Appointment.objects.filter(pk=appt.pk).update(status="cancelled")
    planned = schedules.plan_due_occurrences(NOW + timedelta(minutes=1))

    assert planned == 0
    assert list(rows_of(schedule).values_list("state", flat=True)) == ["cancelled"]


def test_it_sends_before_quiet_hours_when_their_end_is_too_late_for_the_appointment():
    w = f.world()
    signed(w.client)
    # 07:30 EST; two hours before is 05:30, quiet until 08:00, after the start: so 21:00 the
    # evening before (02:00 UTC).
    appt = appointment(w.client, utc(2030, 1, 7, 12, 30))
    schedule = appointment_schedule(w.client, 120)

    schedules.plan_due_occurrences(NOW)

    row = rows_of(schedule).get()
    assert row.due_at == utc(2030, 1, 7, 2)
    assert row.due_at < appt.start


def test_it_does_not_plan_a_message_whose_time_has_passed():
    w = f.world()
    signed(w.client)
    appointment(w.client, utc(2030, 1, 6, 20))
    schedule = appointment_schedule(w.client, DAY)

    planned = schedules.plan_due_occurrences(NOW)

    assert planned == 0
    assert not rows_of(schedule).exists()
