"""Recurrence rules are checked before they are stored: invalid, too frequent (these are
messages to a person: at most one an hour) and unsupported rules are refused with a reason."""

import subprocess
import sys
from datetime import datetime

import pytest

from interlude.outreach.recurrence import describe, parse_rule

START = datetime(2026, 1, 5, 9)


@pytest.mark.parametrize("text, reason", [
    ("", "empty"),
    ("BYDAY=MO", "needs a FREQ"),
    ("FREQ=FORTNIGHTLY", "FREQ must be one of"),
    ("FREQ=WEEKLY;BYDAY=MO;BYDAY=TU", "appears twice"),
    ("FREQ=WEEKLY;BYDAY", "NAME=VALUE"),
    ("FREQ=WEEKLY;COLOUR=BLUE", "Unknown rule part COLOUR"),
    ("FREQ=WEEKLY;BYDAY=XX", "not a weekday"),
    ("FREQ=WEEKLY;BYDAY=1MO", "numbered weekday"),
    ("FREQ=DAILY;BYHOUR=24", "hour must be in 0..23"),
    ("FREQ=DAILY;INTERVAL=0", "INTERVAL must be a whole number"),
    ("FREQ=DAILY;COUNT=-1", "COUNT must be a whole number"),
    ("FREQ=DAILY;COUNT=3;UNTIL=20260301", "not both"),
    ("FREQ=DAILY;UNTIL=20260301T000000Z", "local time"),
    ("FREQ=DAILY;UNTIL=March", "UNTIL must be a date"),
    ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", "never happens"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "never happens"),
    ("FREQ=DAILY;UNTIL=20250101", "never happens"),
])
def test_it_refuses_an_invalid_rule_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_rule(text, START)


@pytest.mark.parametrize("text", [
    "FREQ=MINUTELY", "FREQ=SECONDLY",
    "FREQ=DAILY;BYHOUR=9;BYMINUTE=0,30", "FREQ=HOURLY;BYMINUTE=0,15,30,45",
])
def test_it_refuses_a_rule_more_often_than_hourly(text):
    with pytest.raises(ValueError, match="Too frequent"):
        parse_rule(text, START)


@pytest.mark.parametrize("text, part", [
    ("FREQ=DAILY;BYSECOND=0", "seconds"), ("FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1", "BYSETPOS"),
    ("FREQ=YEARLY;BYYEARDAY=100", "BYYEARDAY"), ("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO"),
])
def test_it_refuses_unsupported_parts_by_name(text, part):
    with pytest.raises(ValueError, match=f"Unsupported rule part: {part}"):
        parse_rule(text, START)


@pytest.mark.parametrize("text, canonical", [
    ("FREQ=HOURLY", "FREQ=HOURLY"),
    ("rrule:freq=weekly;byday=mo,we;byhour=9", "FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9"),
    ("FREQ=DAILY;BYHOUR=9,13,17;BYMINUTE=30", "FREQ=DAILY;BYHOUR=9,13,17;BYMINUTE=30"),
    ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=6", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"),
    ("FREQ=DAILY;UNTIL=20261231", "FREQ=DAILY;UNTIL=20261231T235959"),
])
def test_it_accepts_hourly_and_slower_rules_in_canonical_form(text, canonical):
    assert parse_rule(text, START).text == canonical


@pytest.mark.parametrize("text, words", [
    ("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", "every Monday at 9:00"),
    ("FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=18;BYMINUTE=30;COUNT=10",
     "every Monday, Wednesday and Friday at 18:30, 10 times"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "every 2 weeks on Tuesday at 9:00"),
    ("FREQ=DAILY;UNTIL=20261231", "every day at 9:00, until 2026-12-31"),
    ("FREQ=MONTHLY;BYMONTHDAY=15;BYHOUR=8", "every month on day 15 at 8:00"),
    ("FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=17", "every month on the last Friday at 17:00"),
    ("FREQ=HOURLY;INTERVAL=3;BYMINUTE=15", "every 3 hours at minute 15"),
])
def test_it_describes_a_rule_in_plain_words(text, words):
    assert describe(text, "en", START) == words


def test_it_imports_no_django():
    code = ("import sys, interlude.outreach.recurrence; "
            "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)

    assert result.stdout.strip() == "False"
