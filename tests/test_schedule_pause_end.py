"""Pausing or ending a schedule withdraws its pending deliveries at once and stops planning;
resuming plans again under a new version, so nothing withdrawn comes back."""

import pytest
from django.core.exceptions import ValidationError

from interlude.audit.models import AuditEvent
from interlude.outreach import schedules
from interlude.outreach.models import Delivery, Schedule
from tests import factories as f
from tests.test_schedule_planner import calendar_schedule, rows_of, signed, utc

pytestmark = pytest.mark.django_db

NOW = utc(2030, 1, 6, 12)


def planned_schedule():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)
    schedules.plan_due_occurrences(NOW)
    assert rows_of(schedule, "pending").count() == 1
    return w, schedule


def test_it_withdraws_pending_deliveries_when_paused_and_plans_nothing_more():
    w, schedule = planned_schedule()

    schedules.pause_schedule(w.clinician.user, schedule)
    planned = schedules.plan_due_occurrences(NOW)

    assert planned == 0
    assert Schedule.objects.get(pk=schedule.pk).status == "paused"
    assert list(rows_of(schedule).values_list("state", flat=True)) == ["cancelled"]
    event = AuditEvent.objects.get(action="pause", object_id=str(schedule.pk))
    assert event.detail == {"version": 1, "withdrawn": 1}
    assert event.client_id_ref == w.client.pk


def test_it_plans_again_under_a_new_version_when_resumed():
    w, schedule = planned_schedule()
    schedules.pause_schedule(w.clinician.user, schedule)

    schedules.resume_schedule(w.clinician.user, schedule)
    planned = schedules.plan_due_occurrences(NOW)

    schedule.refresh_from_db()
    assert (schedule.status, schedule.version, planned) == ("active", 2, 1)
    assert list(rows_of(schedule).values_list("idempotency_key", "state")) == [
        (f"schedule:{schedule.pk}:v1:2030-01-07T14:00:00Z", "cancelled"),
        (f"schedule:{schedule.pk}:v2:2030-01-07T14:00:00Z", "pending"),
    ]


def test_it_withdraws_pending_deliveries_when_ended_and_never_plans_again():
    w, schedule = planned_schedule()
    sent = rows_of(schedule).get()
    Delivery.objects.filter(pk=sent.pk).update(state="sent")
    schedules.plan_due_occurrences(utc(2030, 1, 13, 12))
    assert rows_of(schedule, "pending").count() == 1

    schedules.end_schedule(w.clinician.user, schedule)
    later = schedules.plan_due_occurrences(utc(2030, 1, 20, 12))

    assert later == 0
    assert Schedule.objects.get(pk=schedule.pk).status == "ended"
    assert list(rows_of(schedule).values_list("state", flat=True)) == ["sent", "cancelled"]
    assert AuditEvent.objects.filter(action="end", object_id=str(schedule.pk)).count() == 1


def test_it_ends_a_paused_schedule():
    w, schedule = planned_schedule()
    schedules.pause_schedule(w.clinician.user, schedule)

    schedules.end_schedule(w.clinician.user, schedule)

    assert Schedule.objects.get(pk=schedule.pk).status == "ended"


@pytest.mark.parametrize("first, then", [
    (schedules.pause_schedule, schedules.pause_schedule),
    (schedules.end_schedule, schedules.resume_schedule),
    (schedules.end_schedule, schedules.pause_schedule),
    (schedules.end_schedule, schedules.end_schedule),
])
def test_it_refuses_a_change_the_status_does_not_allow(first, then):
    w, schedule = planned_schedule()
    first(w.clinician.user, schedule)
    status = Schedule.objects.get(pk=schedule.pk).status

    with pytest.raises(ValidationError):
        then(w.clinician.user, schedule)

    assert Schedule.objects.get(pk=schedule.pk).status == status


def test_it_resumes_only_a_paused_schedule():
    w, schedule = planned_schedule()

    with pytest.raises(ValidationError):
        schedules.resume_schedule(w.clinician.user, schedule)

    schedule.refresh_from_db()
    assert (schedule.status, schedule.version) == ("active", 1)
