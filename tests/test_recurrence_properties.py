"""Properties of expanded rules, for any daily or weekly rule in zones with daylight saving:
every occurrence reads the rule's time of day on the client's clock unless the clock skipped
that time (then it is the first instant after the gap); occurrences strictly increase; none
comes before the start; and the expansion matches a plain walk of the rule from its start
(checked against an oracle that places wall times with zoneinfo alone)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlude.outreach.recurrence import occurrences

ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "America/Santiago",
         "Australia/Lord_Howe", "Asia/Kolkata"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


@st.composite
def rules(draw):
    freq = draw(st.sampled_from(["DAILY", "WEEKLY"]))
    hour, minute = draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45]))
    parts = [f"FREQ={freq}", f"INTERVAL={draw(st.integers(1, 3))}"]
    if freq == "WEEKLY":
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))
        parts.append("BYDAY=" + ",".join(days))
    parts += [f"BYHOUR={hour}", f"BYMINUTE={minute}"]
    return ";".join(parts), time(hour, minute)


starts = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)
                      ).map(lambda d: d.replace(second=0, microsecond=0))


def clock_reading(instant, tz):
    return instant.astimezone(tz).replace(tzinfo=None)


def oracle_instant(naive, tz):
    """The first instant the clock reads `naive` or later, found by stepping minute by minute
    from the earlier reading of a gap."""
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if clock_reading(first, tz) == naive:
        return first
    probe = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    while clock_reading(probe, tz) < naive:
        probe += timedelta(minutes=1)
    return probe


@PROPERTY_SETTINGS
@given(rule=rules(), start=starts, zone=st.sampled_from(ZONES),
       offset_days=st.integers(0, 900), span_days=st.integers(1, 60))
def test_occurrences_read_the_rules_clock_time_increase_and_start_no_earlier(
        rule, start, zone, offset_days, span_days):
    text, clock = rule
    tz = ZoneInfo(zone)
    after = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=offset_days)
    before = after + timedelta(days=span_days)

    found = occurrences(text, start, zone, after, before)

    start_instant = oracle_instant(start, tz)
    for instant in found:
        assert after <= instant < before
        assert instant >= start_instant
        local = clock_reading(instant, tz)
        if local.time() != clock:
            # Only a skipped time may read otherwise: the rule's time that day does not exist.
            wanted = datetime.combine(local.date(), clock)
            assert clock_reading(wanted.replace(tzinfo=tz).astimezone(UTC), tz) != wanted
    assert all(a < b for a, b in zip(found, found[1:], strict=False))


@PROPERTY_SETTINGS
@given(rule=rules(), start=starts, zone=st.sampled_from(ZONES),
       offset_days=st.integers(0, 900), span_days=st.integers(1, 30))
def test_occurrences_match_a_plain_walk_from_the_start(rule, start, zone, offset_days,
                                                       span_days):
    text, _clock = rule
    tz = ZoneInfo(zone)
    after = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=offset_days)
    before = after + timedelta(days=span_days)

    expected = []
    for naive in rrulestr(text, dtstart=start):
        instant = oracle_instant(naive, tz)
        if instant >= before:
            break
        if instant >= after and (not expected or instant > expected[-1]):
            expected.append(instant)

    assert occurrences(text, start, zone, after, before) == expected
