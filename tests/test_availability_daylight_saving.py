"""Office hours across daylight-saving changes, and between zones that change on different dates.

2026 calendar: the US springs forward on Sunday 8 March and falls back on Sunday 1 November
(02:00 local); the EU on Sunday 29 March and Sunday 25 October (01:00 UTC); Sydney springs
forward on Sunday 4 October. Between 8 and 29 March New York is four hours behind London and
five behind Berlin, instead of five and six.
"""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from interlude.agreements.availability import Window, is_open, local_to_utc, next_open_instant

NEW_YORK = "America/New_York"
WEEKDAYS_9_TO_5 = [Window(day, time(9), time(17)) for day in range(5)]
SUNDAY = 6


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def local(zone, *args, fold=0):
    """A clock reading in `zone`, as UTC (aware datetimes that read a repeated hour compare unequal
    across zones, so all comparisons here are in UTC)."""
    return datetime(*args, tzinfo=ZoneInfo(zone), fold=fold).astimezone(UTC)


@pytest.mark.parametrize("zone,saturday,monday_nine_utc", [
    # the weekend before the change, then the weekend of it
    ("America/New_York", utc(2026, 2, 28, 12), utc(2026, 3, 2, 14)),
    ("America/New_York", utc(2026, 3, 7, 12), utc(2026, 3, 9, 13)),
    ("America/Los_Angeles", utc(2026, 10, 24, 12), utc(2026, 10, 26, 16)),
    ("America/Los_Angeles", utc(2026, 10, 31, 12), utc(2026, 11, 2, 17)),
    ("Europe/Berlin", utc(2026, 3, 21, 12), utc(2026, 3, 23, 8)),
    ("Europe/Berlin", utc(2026, 3, 28, 12), utc(2026, 3, 30, 7)),
    ("Europe/London", utc(2026, 10, 17, 12), utc(2026, 10, 19, 8)),
    ("Europe/London", utc(2026, 10, 24, 12), utc(2026, 10, 26, 9)),
    ("Australia/Sydney", utc(2026, 9, 26, 12), utc(2026, 9, 27, 23)),
    ("Australia/Sydney", utc(2026, 10, 3, 12), utc(2026, 10, 4, 22)),
])
def test_it_keeps_nine_local_as_nine_local_while_the_utc_offset_moves(zone, saturday,
                                                                      monday_nine_utc):
    found = next_open_instant(WEEKDAYS_9_TO_5, zone, [], saturday)
    assert found == monday_nine_utc
    local_found = found.astimezone(ZoneInfo(zone))
    assert (local_found.weekday(), local_found.time()) == (0, time(9))


def test_it_opens_sunday_hours_on_the_day_of_the_change_at_the_new_offset():
    sunday_9_to_5 = [Window(SUNDAY, time(9), time(17))]
    found = next_open_instant(sunday_9_to_5, NEW_YORK, [], utc(2026, 3, 8, 5))
    assert found == utc(2026, 3, 8, 13)  # 09:00 EDT, where a week earlier it was 14:00 UTC
    assert next_open_instant(sunday_9_to_5, NEW_YORK, [], utc(2026, 3, 1, 5)) == utc(2026, 3, 1, 14)


class TestSpringForwardInNewYork:
    """On 8 March 2026 the clock goes from 01:59:59 EST (06:59:59 UTC) to 03:00 EDT (07:00 UTC)."""

    def test_it_finds_a_two_to_three_window_empty_on_the_night_the_clock_skips_it(self):
        skipped = [Window(SUNDAY, time(2), time(3))]
        assert not is_open(skipped, NEW_YORK, [], utc(2026, 3, 8, 6, 59))
        assert not is_open(skipped, NEW_YORK, [], utc(2026, 3, 8, 7, 0))
        # The next Sunday the hour exists again: 02:00 EDT.
        assert next_open_instant(skipped, NEW_YORK, [], utc(2026, 3, 8, 5)) == utc(2026, 3, 15, 6)

    def test_it_opens_a_window_starting_in_the_gap_at_the_first_instant_after_it(self):
        half_past_two_to_four = [Window(SUNDAY, time(2, 30), time(4))]
        found = next_open_instant(half_past_two_to_four, NEW_YORK, [], utc(2026, 3, 8, 5))
        assert found == utc(2026, 3, 8, 7, 0)
        assert found.astimezone(ZoneInfo(NEW_YORK)).time() == time(3)
        assert is_open(half_past_two_to_four, NEW_YORK, [], utc(2026, 3, 8, 7, 59))
        assert not is_open(half_past_two_to_four, NEW_YORK, [], utc(2026, 3, 8, 8, 0))

    def test_it_closes_a_window_ending_in_the_gap_when_the_clock_jumps(self):
        one_to_half_past_two = [Window(SUNDAY, time(1), time(2, 30))]
        assert is_open(one_to_half_past_two, NEW_YORK, [], utc(2026, 3, 8, 6, 59, 59))
        assert not is_open(one_to_half_past_two, NEW_YORK, [], utc(2026, 3, 8, 7, 0))

    def test_it_resolves_a_skipped_clock_time_to_the_moment_of_the_jump(self):
        sunday = datetime(2026, 3, 8).date()
        assert local_to_utc(sunday, time(2, 30), ZoneInfo(NEW_YORK)) == utc(2026, 3, 8, 7, 0)
        assert local_to_utc(sunday, time(1, 59), ZoneInfo(NEW_YORK)) == utc(2026, 3, 8, 6, 59)


class TestFallBackInNewYork:
    """On 1 November 2026 the clock reads 01:00-01:59 twice: EDT (05:00-05:59 UTC), then EST
    (06:00-06:59 UTC)."""

    def test_it_starts_a_window_at_the_first_of_two_half_past_ones(self):
        half_past_one_to_three = [Window(SUNDAY, time(1, 30), time(3))]
        found = next_open_instant(half_past_one_to_three, NEW_YORK, [], utc(2026, 11, 1, 4))
        assert found == local(NEW_YORK, 2026, 11, 1, 1, 30, fold=0)
        assert found == utc(2026, 11, 1, 5, 30)

    def test_it_stays_open_through_the_repeated_hour(self):
        half_past_one_to_three = [Window(SUNDAY, time(1, 30), time(3))]
        quarter_past_one_again = local(NEW_YORK, 2026, 11, 1, 1, 15, fold=1)
        assert quarter_past_one_again == utc(2026, 11, 1, 6, 15)
        assert is_open(half_past_one_to_three, NEW_YORK, [], quarter_past_one_again)
        assert is_open(half_past_one_to_three, NEW_YORK, [], utc(2026, 11, 1, 7, 59))
        assert not is_open(half_past_one_to_three, NEW_YORK, [], utc(2026, 11, 1, 8, 0))

    def test_it_ends_a_window_at_the_first_time_the_clock_reads_its_end(self):
        one_to_half_past_one = [Window(SUNDAY, time(1), time(1, 30))]
        assert is_open(one_to_half_past_one, NEW_YORK, [], utc(2026, 11, 1, 5, 29))
        assert not is_open(one_to_half_past_one, NEW_YORK, [], utc(2026, 11, 1, 5, 30))
        ten_past_one_again = local(NEW_YORK, 2026, 11, 1, 1, 10, fold=1)
        assert not is_open(one_to_half_past_one, NEW_YORK, [], ten_past_one_again)
        assert next_open_instant(one_to_half_past_one, NEW_YORK, [], ten_past_one_again) == utc(
            2026, 11, 8, 6, 0)

    def test_it_gives_a_window_over_the_repeated_hour_its_extra_hour(self):
        midnight_to_three = [Window(SUNDAY, time(0), time(3))]
        opens = next_open_instant(midnight_to_three, NEW_YORK, [], utc(2026, 11, 1, 3))
        assert opens == utc(2026, 11, 1, 4, 0)
        assert is_open(midnight_to_three, NEW_YORK, [], utc(2026, 11, 1, 7, 59))
        assert not is_open(midnight_to_three, NEW_YORK, [], utc(2026, 11, 1, 8, 0))


@pytest.mark.parametrize("client_clock,allowed,next_seen", [
    # A client in New York writes at 03:30 on a Monday to a clinician in Berlin (09:00-17:00).
    (local(NEW_YORK, 2026, 3, 2, 3, 30), True, utc(2026, 3, 2, 8, 30)),   # 09:30 in Berlin
    (local(NEW_YORK, 2026, 3, 16, 3, 30), False, utc(2026, 3, 16, 8, 0)),  # 08:30 in Berlin
    (local(NEW_YORK, 2026, 3, 30, 3, 30), True, utc(2026, 3, 30, 7, 30)),  # 09:30 in Berlin
])
def test_it_follows_the_clinicians_clock_when_new_york_changes_before_berlin(client_clock,
                                                                             allowed, next_seen):
    berlin = "Europe/Berlin"
    assert is_open(WEEKDAYS_9_TO_5, berlin, [], client_clock) is allowed
    found = next_open_instant(WEEKDAYS_9_TO_5, berlin, [], client_clock)
    assert found == next_seen
    assert found.astimezone(ZoneInfo(berlin)).hour >= 9


@pytest.mark.parametrize("client_clock,allowed,next_seen", [
    # A client in London writes at 13:30 on a Monday to a clinician in New York (09:00-17:00).
    (local("Europe/London", 2026, 3, 2, 13, 30), False, utc(2026, 3, 2, 14, 0)),
    (local("Europe/London", 2026, 3, 9, 13, 30), True, utc(2026, 3, 9, 13, 30)),
    (local("Europe/London", 2026, 3, 30, 13, 30), False, utc(2026, 3, 30, 13, 0)),
    (local("Europe/London", 2026, 10, 19, 13, 30), False, utc(2026, 10, 19, 13, 0)),
    (local("Europe/London", 2026, 10, 26, 13, 30), True, utc(2026, 10, 26, 13, 30)),
    (local("Europe/London", 2026, 11, 2, 13, 30), False, utc(2026, 11, 2, 14, 0)),
])
def test_it_follows_the_clinicians_clock_when_london_and_new_york_change_apart(client_clock,
                                                                               allowed, next_seen):
    assert is_open(WEEKDAYS_9_TO_5, NEW_YORK, [], client_clock) is allowed
    found = next_open_instant(WEEKDAYS_9_TO_5, NEW_YORK, [], client_clock)
    assert found == next_seen
    assert found.astimezone(ZoneInfo(NEW_YORK)).time() >= time(9)


def test_it_keeps_time_off_in_utc_when_the_clock_changes_under_it():
    # Off from Friday 17:00 EST to Monday 10:00 EDT, written as UTC instants.
    weekend_and_monday_morning = (utc(2026, 3, 6, 22), utc(2026, 3, 9, 14))
    found = next_open_instant(WEEKDAYS_9_TO_5, NEW_YORK, [weekend_and_monday_morning],
                              utc(2026, 3, 6, 22))
    assert found == utc(2026, 3, 9, 14)
    assert found.astimezone(ZoneInfo(NEW_YORK)).time() == time(10)
