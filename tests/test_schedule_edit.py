"""Editing a schedule makes a new version: the old version's pending deliveries are withdrawn
at once and the planner plans the new rule and wording; what was sent stays as it was."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError

from interlude.audit.models import AuditEvent
from interlude.outreach import schedules
from interlude.outreach.models import Delivery, Schedule
from tests import factories as f
from tests.test_schedule_planner import calendar_schedule, rows_of, signed, utc

pytestmark = pytest.mark.django_db


def edit_to_tuesdays(w, schedule, **kw):
    fields = {"name": "Tuesday check-in", "channel": "in_app",
              "body": "A new question for Tuesdays.",
              "rrule": "FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=30",
              "dtstart_local": datetime(2030, 1, 1, 10, 30)}
    fields.update(kw)
    return schedules.edit_schedule(w.clinician.user, schedule, **fields)


def test_it_supersedes_the_old_versions_pending_deliveries_and_plans_the_new_ones():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)
    schedules.plan_due_occurrences(utc(2030, 1, 7))
    old = rows_of(schedule).get()

    edit_to_tuesdays(w, schedule)
    planned = schedules.plan_due_occurrences(utc(2030, 1, 7))

    schedule.refresh_from_db()
    assert schedule.version == 2
    assert Delivery.objects.get(pk=old.pk).state == "cancelled"
    assert planned == 1
    new = rows_of(schedule, "pending").get()
    # Tuesday 8 January 2030, 10:30 EST.
    assert new.idempotency_key == f"schedule:{schedule.pk}:v2:2030-01-08T15:30:00Z"
    assert new.body == "A new question for Tuesdays."


def test_it_leaves_sent_deliveries_alone():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)
    schedules.plan_due_occurrences(utc(2030, 1, 6, 12))
    Delivery.objects.filter(ref_id=str(schedule.pk)).update(state="sent")

    edit_to_tuesdays(w, schedule)

    assert list(rows_of(schedule).values_list("state", "body")) == [
        ("sent", "How did this week's practice go?")]


def test_it_audits_the_edit_with_field_names_and_no_message_text():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)

    edit_to_tuesdays(w, schedule)

    event = AuditEvent.objects.get(action="update", object_type="Schedule")
    assert event.detail["version"] == 2
    assert event.detail["fields"] == ["body", "dtstart_local", "name", "rrule"]
    assert "Tuesdays" not in str(event.detail)


def test_it_turns_a_calendar_schedule_into_one_before_appointments():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)

    edit_to_tuesdays(w, schedule, rrule=None, dtstart_local=None,
                     minutes_before_appointment=120)

    schedule.refresh_from_db()
    assert (schedule.rrule, schedule.dtstart_local, schedule.minutes_before_appointment) == (
        "", None, 120)


def test_it_refuses_an_invalid_edit_and_keeps_the_old_version():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)
    schedules.plan_due_occurrences(utc(2030, 1, 6, 12))

    with pytest.raises(ValidationError) as refused:
        edit_to_tuesdays(w, schedule, rrule="FREQ=MINUTELY")

    assert "Too frequent" in refused.value.message_dict["rrule"][0]
    schedule.refresh_from_db()
    assert (schedule.version, schedule.rrule) == (1, "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0")
    assert rows_of(schedule, "pending").count() == 1


def test_it_refuses_to_edit_an_ended_schedule():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)
    schedules.end_schedule(w.clinician.user, schedule)

    with pytest.raises(ValidationError):
        edit_to_tuesdays(w, schedule)

    assert Schedule.objects.get(pk=schedule.pk).name == "Weekly check-in"
