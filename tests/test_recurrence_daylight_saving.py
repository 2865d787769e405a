"""Recurrence rules run on the client's wall clock: checked against calendars worked out by hand
for the 2026 daylight-saving changes (America/New_York: 8 March and 1 November; Europe/London:
29 March and 25 October)."""

from datetime import UTC, datetime

from interlude.outreach.recurrence import occurrences

NEW_YORK = "America/New_York"
LONDON = "Europe/London"


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def test_it_keeps_a_weekly_monday_9am_at_9am_in_new_york_when_the_clocks_go_forward():
    found = occurrences("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", datetime(2026, 1, 5, 9),
                        NEW_YORK, utc(2026, 2, 23), utc(2026, 3, 17))

    # 9:00 EST is 14:00 UTC; from 8 March, 9:00 EDT is 13:00 UTC.
    assert found == [utc(2026, 2, 23, 14), utc(2026, 3, 2, 14), utc(2026, 3, 9, 13),
                     utc(2026, 3, 16, 13)]


def test_it_keeps_a_weekly_monday_9am_at_9am_in_new_york_when_the_clocks_go_back():
    found = occurrences("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", datetime(2026, 1, 5, 9),
                        NEW_YORK, utc(2026, 10, 19), utc(2026, 11, 10))

    assert found == [utc(2026, 10, 19, 13), utc(2026, 10, 26, 13), utc(2026, 11, 2, 14),
                     utc(2026, 11, 9, 14)]


def test_it_follows_london_summer_time_both_ways():
    rule = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9"
    spring = occurrences(rule, datetime(2026, 1, 5, 9), LONDON, utc(2026, 3, 20),
                         utc(2026, 4, 7))
    autumn = occurrences(rule, datetime(2026, 1, 5, 9), LONDON, utc(2026, 10, 15),
                         utc(2026, 11, 3))

    # GMT is UTC; BST (29 March to 25 October) is UTC+1.
    assert spring == [utc(2026, 3, 23, 9), utc(2026, 3, 30, 8), utc(2026, 4, 6, 8)]
    assert autumn == [utc(2026, 10, 19, 8), utc(2026, 10, 26, 9), utc(2026, 11, 2, 9)]


def test_it_moves_a_daily_0230_skipped_by_spring_forward_to_0300_new_time():
    found = occurrences("FREQ=DAILY", datetime(2026, 3, 1, 2, 30), NEW_YORK, utc(2026, 3, 7),
                        utc(2026, 3, 10))

    # 7 March 02:30 EST; 8 March the clock jumps 02:00 -> 03:00 EDT (07:00 UTC); 9 March
    # 02:30 EDT.
    assert found == [utc(2026, 3, 7, 7, 30), utc(2026, 3, 8, 7), utc(2026, 3, 9, 6, 30)]


def test_it_sends_an_ambiguous_0130_once_at_its_first_occurrence():
    found = occurrences("FREQ=DAILY", datetime(2026, 3, 1, 1, 30), NEW_YORK, utc(2026, 10, 31),
                        utc(2026, 11, 3))

    # 1 November 01:30 happens twice (EDT, then EST an hour later): only the first counts.
    assert found == [utc(2026, 10, 31, 5, 30), utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)]


def test_it_does_not_repeat_an_hourly_rule_in_the_repeated_hour():
    found = occurrences("FREQ=HOURLY;BYMINUTE=30", datetime(2026, 10, 1, 0, 30), NEW_YORK,
                        utc(2026, 11, 1, 4), utc(2026, 11, 1, 9))

    # 00:30 EDT, 01:30 EDT, (01:30 EST skipped), 02:30 EST, 03:30 EST.
    assert found == [utc(2026, 11, 1, 4, 30), utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 7, 30),
                     utc(2026, 11, 1, 8, 30)]


def test_it_keeps_one_instant_when_two_hours_land_on_the_end_of_the_gap():
    found = occurrences("FREQ=HOURLY;BYMINUTE=0", datetime(2026, 3, 1), NEW_YORK,
                        utc(2026, 3, 8, 5), utc(2026, 3, 8, 9))

    # 00:00 and 01:00 EST; 02:00 (skipped) and 03:00 EDT are both 07:00 UTC; 04:00 EDT.
    assert found == [utc(2026, 3, 8, 5), utc(2026, 3, 8, 6), utc(2026, 3, 8, 7),
                     utc(2026, 3, 8, 8)]


def test_it_honours_interval_count_and_until_on_the_local_clock():
    every_other = occurrences("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9",
                              datetime(2026, 3, 2, 9), NEW_YORK, utc(2026, 1, 1),
                              utc(2026, 12, 31), limit=3)
    counted = occurrences("FREQ=DAILY;COUNT=3", datetime(2026, 3, 7, 2, 30), NEW_YORK,
                          utc(2026, 1, 1), utc(2026, 12, 31))
    until = occurrences("FREQ=DAILY;UNTIL=20260309", datetime(2026, 3, 7, 9), NEW_YORK,
                        utc(2026, 1, 1), utc(2026, 12, 31))

    assert every_other == [utc(2026, 3, 2, 14), utc(2026, 3, 16, 13), utc(2026, 3, 30, 13)]
    assert counted == [utc(2026, 3, 7, 7, 30), utc(2026, 3, 8, 7), utc(2026, 3, 9, 6, 30)]
    # A bare UNTIL date includes that whole local day.
    assert until == [utc(2026, 3, 7, 14), utc(2026, 3, 8, 13), utc(2026, 3, 9, 13)]


def test_it_starts_no_earlier_than_dtstart_and_stops_before_the_window_ends():
    found = occurrences("FREQ=DAILY;BYHOUR=9", datetime(2026, 3, 10, 9), NEW_YORK,
                        utc(2026, 3, 1), utc(2026, 3, 12, 13))

    assert found == [utc(2026, 3, 10, 13), utc(2026, 3, 11, 13)]
