"""When will the clinician next see it: worked cases read off a published calendar.

The clinician keeps Monday to Friday 09:00-17:00 in Los Angeles. June 2026 is daylight time
there (UTC-7) and in Berlin (UTC+2): Friday is 12 June, Monday 15 June, Wednesday 17 June.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from interlude.agreements.availability import Window, is_open, next_open_instant

LA = "America/Los_Angeles"
BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS_9_TO_5 = [Window(day, time(9), time(17)) for day in range(5)]


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_it_sends_a_saturday_message_from_berlin_to_monday_nine_in_los_angeles():
    saturday_in_berlin = datetime(2026, 6, 13, 10, 0, tzinfo=BERLIN)
    found = next_open_instant(WEEKDAYS_9_TO_5, LA, [], saturday_in_berlin)
    assert found == utc(2026, 6, 15, 16, 0)
    assert found.astimezone(ZoneInfo(LA)).strftime("%A %H:%M") == "Monday 09:00"
    assert found.tzinfo == UTC


def test_it_counts_a_friday_evening_in_berlin_as_friday_morning_in_los_angeles():
    friday_evening_in_berlin = datetime(2026, 6, 12, 18, 0, tzinfo=BERLIN)
    assert is_open(WEEKDAYS_9_TO_5, LA, [], friday_evening_in_berlin)
    assert next_open_instant(WEEKDAYS_9_TO_5, LA, [], friday_evening_in_berlin) == utc(
        2026, 6, 12, 16, 0)


def test_it_skips_monday_and_tuesday_off_to_wednesday_nine():
    monday_and_tuesday = (utc(2026, 6, 15, 7, 0), utc(2026, 6, 17, 7, 0))  # local midnights
    found = next_open_instant(WEEKDAYS_9_TO_5, LA, [monday_and_tuesday], utc(2026, 6, 13, 8, 0))
    assert found == utc(2026, 6, 17, 16, 0)


def test_it_opens_when_time_off_ends_in_the_middle_of_a_window():
    until_half_past_eleven = (utc(2026, 6, 15, 7, 0), utc(2026, 6, 15, 18, 30))
    found = next_open_instant(WEEKDAYS_9_TO_5, LA, [until_half_past_eleven],
                              utc(2026, 6, 13, 8, 0))
    assert found == utc(2026, 6, 15, 18, 30)


def test_it_closes_for_time_off_that_starts_in_the_middle_of_a_window():
    afternoon_off = (utc(2026, 6, 15, 20, 0), utc(2026, 6, 16, 0, 0))  # Monday 13:00-17:00
    assert is_open(WEEKDAYS_9_TO_5, LA, [afternoon_off], utc(2026, 6, 15, 19, 59))
    assert not is_open(WEEKDAYS_9_TO_5, LA, [afternoon_off], utc(2026, 6, 15, 20, 0))
    assert next_open_instant(WEEKDAYS_9_TO_5, LA, [afternoon_off], utc(2026, 6, 15, 20, 0)) == utc(
        2026, 6, 16, 16, 0)


def test_it_treats_back_to_back_time_off_as_one_stretch():
    monday = (utc(2026, 6, 15, 7, 0), utc(2026, 6, 15, 19, 0))
    rest_of_monday = (utc(2026, 6, 15, 19, 0), utc(2026, 6, 16, 7, 0))
    found = next_open_instant(WEEKDAYS_9_TO_5, LA, [rest_of_monday, monday],
                              utc(2026, 6, 15, 17, 0))
    assert found == utc(2026, 6, 16, 16, 0)


def test_it_is_open_at_four_fifty_nine_on_friday_and_closed_at_five():
    one_minute_to_five = utc(2026, 6, 12, 23, 59)
    five = utc(2026, 6, 13, 0, 0)
    assert is_open(WEEKDAYS_9_TO_5, LA, [], one_minute_to_five)
    assert is_open(WEEKDAYS_9_TO_5, LA, [], five - timedelta(microseconds=1))
    assert not is_open(WEEKDAYS_9_TO_5, LA, [], five)
    assert next_open_instant(WEEKDAYS_9_TO_5, LA, [], five) == utc(2026, 6, 15, 16, 0)


def test_it_is_open_from_the_first_instant_of_a_window():
    monday_nine = utc(2026, 6, 15, 16, 0)
    assert is_open(WEEKDAYS_9_TO_5, LA, [], monday_nine)
    assert not is_open(WEEKDAYS_9_TO_5, LA, [], monday_nine - timedelta(microseconds=1))


def test_it_answers_the_instant_asked_when_already_open():
    tuesday_noon = utc(2026, 6, 16, 19, 0, 30)
    assert next_open_instant(WEEKDAYS_9_TO_5, LA, [], tuesday_noon) == tuesday_noon


def test_it_runs_touching_windows_on_without_a_gap():
    split_day = [Window(0, time(9), time(12)), Window(0, time(12), time(17))]
    assert is_open(split_day, LA, [], utc(2026, 6, 15, 19, 0))  # Monday 12:00


def test_it_finds_a_later_overlapping_window_that_outlasts_time_off():
    morning_and_midday = [Window(0, time(9), time(12)), Window(0, time(10), time(14))]
    until_one = (utc(2026, 6, 15, 16, 0), utc(2026, 6, 15, 20, 0))  # Monday 09:00-13:00
    found = next_open_instant(morning_and_midday, LA, [until_one], utc(2026, 6, 15, 15, 0))
    assert found == utc(2026, 6, 15, 20, 0)


def test_it_answers_none_without_office_hours():
    assert next_open_instant([], LA, [], utc(2026, 6, 13, 8, 0)) is None


def test_it_answers_none_when_time_off_outlasts_the_horizon():
    sabbatical = (utc(2026, 6, 1), utc(2027, 9, 1))
    assert next_open_instant(WEEKDAYS_9_TO_5, LA, [sabbatical], utc(2026, 6, 13, 8, 0)) is None
    # ...but finds the first Wednesday back when the horizon reaches it.
    assert next_open_instant(WEEKDAYS_9_TO_5, LA, [sabbatical], utc(2026, 6, 13, 8, 0),
                             horizon_days=500) == utc(2027, 9, 1, 16, 0)


def test_it_refuses_a_naive_instant():
    with pytest.raises(ValueError):
        next_open_instant(WEEKDAYS_9_TO_5, LA, [], datetime(2026, 6, 13, 8, 0))


@pytest.mark.parametrize("weekday,start,end", [(7, time(9), time(17)), (0, time(17), time(9)),
                                               (0, time(9), time(9))])
def test_it_refuses_a_window_that_is_not_one(weekday, start, end):
    with pytest.raises(ValueError):
        Window(weekday, start, end)
