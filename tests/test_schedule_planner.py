"""The planner puts each active schedule's deliveries of the next 48 hours into the outbox,
once: running it twice, or in two dispatchers at once, makes the same rows; it looks no further
than its horizon; and it plans a batch of schedules in a fixed number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interlude.agreements.models import AgreementSignature
from interlude.outreach import outbox, schedules
from interlude.outreach.models import Appointment, Delivery
from tests import factories as f

pytestmark = pytest.mark.django_db

WEEKLY_MONDAY_9 = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0"
# Monday 7 January 2030, 09:00 in New York (EST) is 14:00 UTC.
FIRST_MONDAY = datetime(2030, 1, 7, 9)


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def signed(client_, **fields):
    """A signed agreement for the client that opens automated messages (unless told)."""
    fields.setdefault("automated_open", True)
    agreement = f.agreement(client_, **fields)
    AgreementSignature.objects.create(agreement=agreement, signed_by=client_.user,
                                      version=agreement.version)
    return agreement


def calendar_schedule(client_, rrule=WEEKLY_MONDAY_9, start=FIRST_MONDAY, **kw):
    kw.setdefault("name", "Weekly check-in")
    kw.setdefault("channel", "in_app")
    kw.setdefault("body", "How did this week's practice go?")
    return schedules.create_schedule(client_.clinician.user, client_, rrule=rrule,
                                     dtstart_local=start, **kw)


def appointment_schedule(client_, minutes, **kw):
    kw.setdefault("name", "Before each session")
    kw.setdefault("channel", "in_app")
    kw.setdefault("body", "Bring your practice log.")
    return schedules.create_schedule(client_.clinician.user, client_,
                                     minutes_before_appointment=minutes, **kw)


def appointment(client_, start, **kw):
    return Appointment.objects.create(practice=client_.practice, clinician=client_.clinician,
                                      client=client_, start=start,
                                      end=start + timedelta(minutes=50), **kw)


def rows_of(schedule, state=None):
    rows = Delivery.objects.filter(ref_type="schedule", ref_id=str(schedule.pk))
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("due_at", "pk")


def keys(rows):
    return [row.idempotency_key for row in rows]


def test_it_plans_the_next_occurrence_as_one_delivery_with_a_key_naming_it():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)

    planned = schedules.plan_due_occurrences(utc(2030, 1, 6, 12))

    assert planned == 1
    row = rows_of(schedule).get()
    assert row.idempotency_key == f"schedule:{schedule.pk}:v1:2030-01-07T14:00:00Z"
    assert row.due_at == utc(2030, 1, 7, 14)
    assert (row.kind, row.channel, row.state) == ("scheduled_message", "in_app", "pending")
    assert row.recipient_id == w.client.user_id
    assert row.body == "How did this week's practice go?"
    assert row.subject == f"A message from {w.practice.name}"
    assert row.practice_id == w.practice.pk


def test_it_makes_the_same_rows_when_run_twice():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client, rrule="FREQ=DAILY;BYHOUR=10;BYMINUTE=0")
    now = utc(2030, 1, 7)

    first = schedules.plan_due_occurrences(now)
    before = list(rows_of(schedule).values_list("pk", "idempotency_key", "due_at", "state"))
    second = schedules.plan_due_occurrences(now + timedelta(seconds=30))

    assert first == 2 and second == 0
    assert list(rows_of(schedule).values_list("pk", "idempotency_key", "due_at", "state")) == \
        before
    assert [due for _pk, _key, due, _state in before] == [utc(2030, 1, 7, 15),
                                                          utc(2030, 1, 8, 15)]


def test_two_planners_at_once_make_each_row_once(monkeypatch):
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client, rrule="FREQ=DAILY;BYHOUR=10;BYMINUTE=0")
    now = utc(2030, 1, 7)
    real_enqueue = outbox.enqueue
    raced = []

    def enqueue_after_a_rival(**kwargs):
        # The rival planner runs to completion between this one's look and its insert.
        if not raced:
            raced.append(True)
            schedules.plan_due_occurrences(now)
        return real_enqueue(**kwargs)

    monkeypatch.setattr(outbox, "enqueue", enqueue_after_a_rival)
    schedules.plan_due_occurrences(now)

    assert raced == [True]
    assert keys(rows_of(schedule)) == [f"schedule:{schedule.pk}:v1:2030-01-07T15:00:00Z",
                                       f"schedule:{schedule.pk}:v1:2030-01-08T15:00:00Z"]
    assert rows_of(schedule, "pending").count() == 2


def test_it_looks_48_hours_ahead_and_no_further():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)

    just_short = schedules.plan_due_occurrences(utc(2030, 1, 5, 14))
    assert just_short == 0
    assert not rows_of(schedule).exists()

    just_in = schedules.plan_due_occurrences(utc(2030, 1, 5, 14, 0, 1))
    assert just_in == 1
    assert rows_of(schedule).get().due_at == utc(2030, 1, 7, 14)


def test_it_never_plans_an_occurrence_whose_time_has_passed():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)

    planned = schedules.plan_due_occurrences(utc(2030, 1, 7, 14, 0, 1))

    assert planned == 0
    assert not rows_of(schedule).exists()


def _schedules_for(count, practice_, now):
    clinician_ = f.clinician(practice_)
    made = []
    for n in range(count):
        client_ = f.client(clinician_, phone="+15550100")
        signed(client_)
        appointment(client_, now + timedelta(hours=30 + n))
        made.append(calendar_schedule(client_, rrule="FREQ=DAILY;BYHOUR=10;BYMINUTE=0"))
        made.append(appointment_schedule(client_, 24 * 60))
    return made


def _steady_queries(now):
    schedules.plan_due_occurrences(now)
    with CaptureQueriesContext(connection) as queries:
        assert schedules.plan_due_occurrences(now) == 0
    return len(queries)


def test_it_plans_a_batch_in_a_fixed_number_of_queries():
    now = utc(2030, 1, 6, 12)
    _schedules_for(2, f.practice(), now)
    few = _steady_queries(now)
    _schedules_for(6, f.practice(), now)
    many = _steady_queries(now)

    # One daily message and one before the appointment, for each of the eight clients.
    assert Delivery.objects.filter(ref_type="schedule").count() == 8 + 8
    assert few == many
    # Schedules, agreements, channel switches, appointments and deliveries, inside one
    # transaction (a savepoint and its release here).
    assert many <= 7


def test_it_plans_nothing_for_a_client_whose_account_is_closed():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)
    type(w.client).objects.filter(pk=w.client.pk).update(is_active=False)

    planned = schedules.plan_due_occurrences(utc(2030, 1, 6, 12))

    assert planned == 0
    assert not rows_of(schedule).exists()
    schedule.refresh_from_db()
    assert schedule.last_problem == "client_inactive"
