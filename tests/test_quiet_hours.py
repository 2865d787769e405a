"""Reminders are moved out of the client's quiet hours: to the end of the quiet stretch when
that is still before the appointment, else to its start (earlier). Quiet hours are local times
that may wrap midnight; the stretch follows the client's clock across daylight-saving changes.
The property: a planned time is never inside quiet hours and never after the appointment."""

from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlude.outreach.reminders import out_of_quiet_hours, quiet_stretch
from tests import factories as f
from tests.appointment_support import book, local, reminders_of, signed_client

NY = "America/New_York"


def person(zone=NY, start=time(21), end=time(8)):
    return SimpleNamespace(time_zone=zone, quiet_start=start, quiet_end=end)


def planned(appointment_start, minutes, who):
    return out_of_quiet_hours(appointment_start - timedelta(minutes=minutes), who,
                              appointment_start)


# --- examples --------------------------------------------------------------------------------

def test_a_reminder_due_in_the_night_goes_when_quiet_hours_end():
    start = local("2030-03-05 09:00", NY)
    assert planned(start, 120, person()) == local("2030-03-05 08:00", NY)
    assert planned(start, 2880, person()) == local("2030-03-03 09:00", NY)


def test_a_reminder_for_an_early_appointment_goes_the_evening_before():
    # 07:30 is itself in quiet hours: 08:00 would be after the start, so 21:00 the day before.
    start = local("2030-03-05 07:30", NY)
    assert planned(start, 120, person()) == local("2030-03-04 21:00", NY)


def test_the_edges_of_quiet_hours_are_not_quiet():
    start = local("2030-03-05 22:00", NY)
    assert planned(start, 60, person()) == local("2030-03-05 21:00", NY)  # due at 21:00 sharp
    late = local("2030-03-05 22:30", NY)
    assert planned(late, 60, person()) == local("2030-03-05 21:00", NY)  # due 21:30: earlier
    assert quiet_stretch(local("2030-03-05 08:00", NY), NY, time(21), time(8)) is None


def test_quiet_hours_within_one_day_and_none_at_all():
    afternoon = person(start=time(13), end=time(15))
    assert planned(local("2030-03-05 16:00", NY), 120, afternoon) == local(
        "2030-03-05 15:00", NY)
    assert planned(local("2030-03-05 14:30", NY), 60, afternoon) == local(
        "2030-03-05 13:00", NY)
    assert planned(local("2030-03-05 03:00", NY), 60, person(start=time(0), end=time(0))) == (
        local("2030-03-05 02:00", NY))


def test_the_night_the_clocks_go_forward_is_an_hour_shorter():
    # New York, Sunday 10 March 2030: 02:00 EST becomes 03:00 EDT.
    begins, ends = quiet_stretch(local("2030-03-10 05:00", NY), NY, time(21), time(8))
    assert (begins, ends) == (datetime(2030, 3, 10, 2, tzinfo=UTC),
                              datetime(2030, 3, 10, 12, tzinfo=UTC))
    assert planned(local("2030-03-10 09:00", NY), 120, person()) == datetime(
        2030, 3, 10, 12, tzinfo=UTC)  # 08:00 EDT
    assert planned(local("2030-03-10 07:30", NY), 120, person()) == datetime(
        2030, 3, 10, 2, tzinfo=UTC)  # 21:00 EST on Saturday


def test_the_night_the_clocks_go_back_is_an_hour_longer():
    # New York, Sunday 3 November 2030: 02:00 EDT becomes 01:00 EST.
    begins, ends = quiet_stretch(local("2030-11-03 05:00", NY), NY, time(21), time(8))
    assert ends - begins == timedelta(hours=12)
    assert planned(local("2030-11-03 09:00", NY), 120, person()) == datetime(
        2030, 11, 3, 13, tzinfo=UTC)  # 08:00 EST


def test_a_quiet_end_that_the_clock_skips_counts_from_the_end_of_the_gap():
    madrid = person("Europe/Madrid", time(22), time(2, 30))
    # 31 March 2030 in Madrid: 02:00 CET becomes 03:00 CEST, so 02:30 never happens.
    start = datetime(2030, 3, 31, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert planned(start, 60, madrid) == datetime(2030, 3, 31, 1, 0, tzinfo=UTC)  # 03:00 CEST


@pytest.mark.django_db
def test_planned_reminders_in_the_outbox_respect_the_clients_quiet_hours():
    w = f.world()
    ana = signed_client(w.clinician, time_zone=NY, quiet_start=time(22), quiet_end=time(7))
    start = local("2030-03-05 08:00", NY)

    appointment = book(ana, start)

    assert {r.due_at for r in reminders_of(appointment)} == {
        local("2030-03-03 08:00", NY), local("2030-03-05 07:00", NY)}


# --- the property ----------------------------------------------------------------------------

ZONES = ["America/New_York", "America/Los_Angeles", "Europe/Madrid", "Europe/London",
         "Australia/Sydney", "Asia/Kolkata"]
# Starts of the weeks around the 2030 changes in those zones, where mistakes would show.
AROUND_CHANGES = [datetime(2030, 3, 6, tzinfo=UTC), datetime(2030, 3, 27, tzinfo=UTC),
                  datetime(2030, 4, 3, tzinfo=UTC), datetime(2030, 9, 26, tzinfo=UTC),
                  datetime(2030, 10, 23, tzinfo=UTC), datetime(2030, 10, 30, tzinfo=UTC)]
# Quiet hours whose edges the clocks never skip or repeat in these zones (changes happen
# between 01:00 and 03:00), so the wall clock alone can say what is quiet.
wrapping = st.tuples(st.times(time(19), time(23, 59)), st.times(time(4), time(10)))
daytime = st.tuples(st.times(time(10), time(13)), st.times(time(13, 1), time(18)))


def inside_quiet_hours(instant, zone, start, end):
    """An oracle from the wall clock alone: strictly between the two local times."""
    clock = instant.astimezone(ZoneInfo(zone)).time()
    if start < end:
        return start < clock < end
    return clock > start or clock < end


@settings(max_examples=400, deadline=None)
@given(zone=st.sampled_from(ZONES), quiet=st.one_of(wrapping, daytime),
       week=st.sampled_from(AROUND_CHANGES), offset=st.integers(0, 14 * 24 * 60),
       minutes=st.integers(10, 14 * 24 * 60))
def test_a_planned_reminder_is_never_in_quiet_hours_nor_after_the_appointment(
        zone, quiet, week, offset, minutes):
    start_time, end_time = (t.replace(second=0, microsecond=0) for t in quiet)
    appointment = week + timedelta(minutes=offset)
    due = appointment - timedelta(minutes=minutes)

    sent = planned(appointment, minutes, person(zone, start_time, end_time))

    assert sent <= appointment
    assert not inside_quiet_hours(sent, zone, start_time, end_time)
    if not inside_quiet_hours(due, zone, start_time, end_time):
        assert sent == due
