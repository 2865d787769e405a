"""Nothing from a schedule reaches a client in their quiet hours: an occurrence inside them is
delivered when they end, several in one night become one message, and a change of quiet hours
moves what is pending."""

from datetime import datetime, time, timedelta

import pytest

from interlude.accounts.models import Client
from interlude.outreach import schedules
from tests import factories as f
from tests.test_schedule_planner import calendar_schedule, keys, rows_of, signed, utc

pytestmark = pytest.mark.django_db

NOW = utc(2030, 1, 6, 12)


def test_it_delivers_an_occurrence_in_quiet_hours_when_they_end():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client, rrule="FREQ=DAILY;BYHOUR=22;BYMINUTE=0",
                                 start=datetime(2030, 1, 1, 22))

    schedules.plan_due_occurrences(NOW)

    # 22:00 EST each evening goes at 08:00 EST (13:00 UTC) the next morning.
    assert [row.due_at for row in rows_of(schedule)] == [utc(2030, 1, 7, 13),
                                                          utc(2030, 1, 8, 13)]
    assert keys(rows_of(schedule))[0] == f"schedule:{schedule.pk}:v1:2030-01-07T13:00:00Z"


def test_it_makes_one_message_of_a_quiet_night():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client, rrule="FREQ=HOURLY;BYMINUTE=0",
                                 start=datetime(2030, 1, 1))

    schedules.plan_due_occurrences(utc(2030, 1, 7, 13))

    dues = [row.due_at for row in rows_of(schedule)]
    local_hours = [(due - timedelta(hours=5)).hour for due in dues]
    # From 08:00 to 21:00 EST each day (the edges of quiet hours are not quiet); each night's
    # ten occurrences go together at 08:00 the next morning, with its own.
    assert dues[0] == utc(2030, 1, 7, 13)
    assert local_hours == [*range(8, 22), *range(8, 22), 8]
    assert len(set(dues)) == len(dues)


def test_it_moves_pending_deliveries_when_quiet_hours_change():
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client, rrule="FREQ=DAILY;BYHOUR=22;BYMINUTE=0",
                                 start=datetime(2030, 1, 1, 22))
    schedules.plan_due_occurrences(NOW)

    Client.objects.filter(pk=w.client.pk).update(quiet_end=time(9, 30))
    schedules.plan_due_occurrences(NOW + timedelta(minutes=1))

    assert [(row.due_at, row.state) for row in rows_of(schedule)] == [
        (utc(2030, 1, 7, 13), "cancelled"), (utc(2030, 1, 7, 14, 30), "pending"),
        (utc(2030, 1, 8, 13), "cancelled"), (utc(2030, 1, 8, 14, 30), "pending")]


def test_it_sends_at_the_rules_time_when_the_client_has_no_quiet_hours():
    w = f.world()
    Client.objects.filter(pk=w.client.pk).update(quiet_start=time(0), quiet_end=time(0))
    signed(w.client)
    schedule = calendar_schedule(w.client, rrule="FREQ=DAILY;BYHOUR=22;BYMINUTE=0",
                                 start=datetime(2030, 1, 1, 22))

    schedules.plan_due_occurrences(NOW)

    assert [row.due_at for row in rows_of(schedule)] == [utc(2030, 1, 7, 3),
                                                          utc(2030, 1, 8, 3)]
