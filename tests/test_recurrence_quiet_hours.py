"""Quiet hours (local times that may wrap midnight) move a message to their end; the first and
last instants of a quiet stretch are not quiet; the stretch follows the clock across
daylight-saving changes."""

from datetime import UTC, datetime, time

import pytest

from interlude.outreach.recurrence import after_quiet_hours, in_quiet_hours, quiet_stretch

NEW_YORK = "America/New_York"
NIGHT = (time(21), time(8))


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize("instant, moved", [
    (utc(2026, 6, 10, 16), utc(2026, 6, 10, 16)),        # 12:00 EDT: not quiet
    (utc(2026, 6, 11, 2), utc(2026, 6, 11, 12)),         # 22:00 EDT -> 08:00 EDT next day
    (utc(2026, 6, 11, 7), utc(2026, 6, 11, 12)),         # 03:00 EDT -> 08:00 EDT same day
    (utc(2026, 6, 11, 1), utc(2026, 6, 11, 1)),          # 21:00 sharp: not yet quiet
    (utc(2026, 6, 11, 12), utc(2026, 6, 11, 12)),        # 08:00 sharp: no longer quiet
])
def test_it_moves_a_time_inside_quiet_hours_that_wrap_midnight_to_their_end(instant, moved):
    assert after_quiet_hours(instant, NEW_YORK, *NIGHT) == moved


def test_it_handles_quiet_hours_within_one_day():
    lunch = (time(13), time(14))

    assert after_quiet_hours(utc(2026, 6, 10, 17, 30), NEW_YORK, *lunch) == utc(2026, 6, 10, 18)
    assert after_quiet_hours(utc(2026, 6, 10, 19), NEW_YORK, *lunch) == utc(2026, 6, 10, 19)


def test_it_has_no_quiet_hours_when_start_and_end_are_equal():
    assert not in_quiet_hours(utc(2026, 6, 11, 2), NEW_YORK, time(8), time(8))
    assert quiet_stretch(utc(2026, 6, 11, 2), NEW_YORK, time(8), time(8)) is None


def test_it_follows_the_clock_on_the_nights_it_changes():
    # 7-8 March 2026: 21:00 EST (02:00 UTC) until 08:00 EDT (12:00 UTC): ten hours.
    spring = quiet_stretch(utc(2026, 3, 8, 5), NEW_YORK, *NIGHT)
    # 31 October - 1 November: 21:00 EDT (01:00 UTC) until 08:00 EST (13:00 UTC): twelve hours.
    autumn = quiet_stretch(utc(2026, 11, 1, 6), NEW_YORK, *NIGHT)

    assert spring == (utc(2026, 3, 8, 2), utc(2026, 3, 8, 12))
    assert autumn == (utc(2026, 11, 1, 1), utc(2026, 11, 1, 13))
