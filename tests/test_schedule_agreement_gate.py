"""Schedules plan nothing for a client whose agreement is missing, unsigned or closes automated
messages; the reason is kept for the schedule page; closing the channel later withdraws what
was pending, and signing again brings it back."""

import pytest

from interlude.agreements.models import AgreementSignature
from interlude.outreach import schedules
from interlude.outreach.models import Schedule
from tests import factories as f
from tests.test_schedule_planner import calendar_schedule, rows_of, signed, utc

pytestmark = pytest.mark.django_db

NOW = utc(2030, 1, 6, 12)


@pytest.mark.parametrize("setup, problem", [
    (lambda c: None, "agreement:no_agreement"),
    (lambda c: f.agreement(c, automated_open=True), "agreement:not_signed"),
    (lambda c: signed(c, automated_open=False), "agreement:channel_closed"),
])
def test_it_plans_nothing_and_says_why(setup, problem):
    w = f.world()
    setup(w.client)
    schedule = calendar_schedule(w.client)

    planned = schedules.plan_due_occurrences(NOW)

    assert planned == 0
    assert not rows_of(schedule).exists()
    schedule.refresh_from_db()
    assert schedule.last_problem == problem
    assert schedule.last_problem_at is not None


def test_it_withdraws_pending_deliveries_when_a_new_unsigned_version_closes_the_channel():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)
    schedules.plan_due_occurrences(NOW)
    f.agreement(w.client, version=2, automated_open=True)

    schedules.plan_due_occurrences(NOW)

    assert list(rows_of(schedule).values_list("state", flat=True)) == ["cancelled"]
    assert Schedule.objects.get(pk=schedule.pk).last_problem == "agreement:not_signed"


def test_it_brings_the_delivery_back_when_the_client_signs_again():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)
    schedules.plan_due_occurrences(NOW)
    second = f.agreement(w.client, version=2, automated_open=True)
    schedules.plan_due_occurrences(NOW)

    AgreementSignature.objects.create(agreement=second, signed_by=w.client.user, version=2)
    planned = schedules.plan_due_occurrences(NOW)

    assert planned == 1
    assert list(rows_of(schedule).values_list("state", flat=True)) == ["pending"]
    schedule.refresh_from_db()
    assert (schedule.last_problem, schedule.last_problem_at) == ("", None)


def test_it_plans_the_other_clients_schedules_all_the_same():
    w = f.world()
    signed(w.other_client)
    blocked = calendar_schedule(w.client)
    open_ = calendar_schedule(w.other_client)

    schedules.plan_due_occurrences(NOW)

    assert not rows_of(blocked).exists()
    assert rows_of(open_, "pending").count() == 1
