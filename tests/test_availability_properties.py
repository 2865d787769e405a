"""Property tests of the availability core against an oracle that watches the clinician's clock.

The oracle never turns local times into instants. It walks real time forward in fixed steps,
reads the clinician's wall clock at each step and keeps the latest time the clock has shown (the
high-water mark, which stands still while the clock repeats an hour in the autumn and jumps with
it in the spring). An instant is open when that mark lies inside a weekly window and the instant
lies outside every time-off interval. This is the engine's documented rule ("a window opens the
first time the clock reads its start, and closes the first time it reads its end"), reached from
the other direction.

Every boundary in these scenarios (window times, time off, and the daylight-saving transitions of
the zones used) lies on a 15-minute grid of real time, so the first open instant is either the
instant asked or a grid point after it, and stepping over the grid misses nothing.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlude.agreements.availability import Window, is_open, next_open_instant

ZONES = ["America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Madrid",
         "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "UTC",
         # half-hour daylight saving, and a change at local midnight
         "Australia/Lord_Howe", "America/Santiago"]
STEP = timedelta(minutes=15)
SLOTS_PER_DAY = 96
LOOKBACK = timedelta(hours=3)  # longer than any repeated hour
ORACLE_DAYS = 60

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


def _transitions(zone_name):
    """Instants in 2025-2027 where the zone's UTC offset changes, found by hourly sampling."""
    tz = ZoneInfo(zone_name)
    found = []
    t = datetime(2025, 6, 1, tzinfo=UTC)
    previous = t.astimezone(tz).utcoffset()
    while t < datetime(2027, 6, 1, tzinfo=UTC):
        t += timedelta(hours=1)
        offset = t.astimezone(tz).utcoffset()
        if offset != previous:
            minute = t - timedelta(hours=1)
            while minute.astimezone(tz).utcoffset() == previous:
                minute += timedelta(minutes=1)
            found.append(minute)
            previous = offset
    return found


TRANSITIONS = {zone: _transitions(zone) for zone in ZONES}
CHANGING_ZONES = [zone for zone in ZONES if TRANSITIONS[zone]]


def _grid_floor(instant):
    return instant.replace(minute=instant.minute - instant.minute % 15, second=0, microsecond=0)


def _wall(instant, tz):
    return instant.astimezone(tz).replace(tzinfo=None)


def _slot_time(slot):
    return time(slot // 4, slot % 4 * 15)


def _window(weekday, start, length):
    start = min(max(start, 0), SLOTS_PER_DAY - 2)
    return Window(weekday, _slot_time(start), _slot_time(min(start + length, SLOTS_PER_DAY - 1)))


def _any_window():
    return st.builds(_window, st.integers(0, 6), st.integers(0, SLOTS_PER_DAY - 2),
                     st.integers(1, 40))


def _window_near(clock):
    """A window starting within about an hour of a local clock time, on that day."""
    slot = clock.hour * 4 + clock.minute // 15
    # sampled_from spreads the draws evenly; integers would pile up on the bounds.
    return st.builds(_window, st.just(clock.weekday()), st.sampled_from(range(slot - 5, slot + 5)),
                     st.sampled_from(range(1, 9)))


@st.composite
def _time_off(draw, at, most=3):
    """A few intervals on the grid, often close to `at`, sometimes end to end."""
    spans = []
    offsets = st.one_of(st.integers(-8, 16), st.integers(-2 * SLOTS_PER_DAY, 10 * SLOTS_PER_DAY))
    for _ in range(draw(st.integers(0, most))):
        if spans and draw(st.booleans()):
            start = spans[-1][1]
        else:
            start = _grid_floor(at) + draw(offsets) * STEP
        spans.append((start, start + draw(st.integers(1, 4 * SLOTS_PER_DAY)) * STEP))
    return spans


def _with_seconds(draw, at):
    if draw(st.booleans()):
        return at + timedelta(seconds=draw(st.integers(1, 899)))
    return at


@st.composite
def _around_a_change(draw):
    """Asked in the hours before a daylight-saving change, with windows around the changed hour."""
    zone = draw(st.sampled_from(CHANGING_ZONES))
    tz = ZoneInfo(zone)
    change = draw(st.sampled_from(TRANSITIONS[zone]))
    at = _with_seconds(draw, change + draw(st.sampled_from(range(-40, 9))) * STEP)
    # The clock time at which the change happens, read from just before it.
    changed_at = _wall(change - STEP, tz) + STEP
    # Few windows, so that another one seldom opens first and hides the changed hour.
    near = draw(st.lists(_window_near(changed_at), min_size=1, max_size=2))
    windows = near + draw(st.lists(_any_window(), max_size=1))
    return zone, windows, draw(_time_off(at, most=1)), at


@st.composite
def _anywhere(draw):
    zone = draw(st.sampled_from(ZONES))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    at = _with_seconds(draw, start + draw(st.integers(0, 365 * SLOTS_PER_DAY)) * STEP)
    windows = draw(st.lists(_any_window(), max_size=4))
    return zone, windows, draw(_time_off(at)), at


def scenarios():
    # Two parts in three around a change: that is where the rules are subtle.
    return st.one_of(_around_a_change(), _around_a_change(), _anywhere())


# --- the oracle -------------------------------------------------------------------------------

def _on_time_off(instant, time_off):
    return any(start <= instant < end for start, end in time_off)


def _inside_a_window(clock, windows):
    return any(w.weekday == clock.weekday() and w.start <= clock.time() < w.end for w in windows)


def _open(clock_mark, instant, windows, time_off):
    return _inside_a_window(clock_mark, windows) and not _on_time_off(instant, time_off)


def _clock_mark(instant, tz):
    """The latest time the wall clock has shown up to and including `instant`."""
    mark = _wall(instant, tz)
    t = _grid_floor(instant)
    while t >= instant - LOOKBACK:
        mark = max(mark, _wall(t, tz))
        t -= STEP
    return mark


def oracle_is_open(windows, zone, time_off, instant):
    return _open(_clock_mark(instant, ZoneInfo(zone)), instant, windows, time_off)


def oracle_next_open(windows, zone, time_off, at):
    if not windows:
        return None
    tz = ZoneInfo(zone)
    mark = _clock_mark(at, tz)
    if _open(mark, at, windows, time_off):
        return at
    t = _grid_floor(at) + STEP
    while t < at + timedelta(days=ORACLE_DAYS):
        mark = max(mark, _wall(t, tz))
        if _open(mark, t, windows, time_off):
            return t
        t += STEP
    return None


# --- the properties ---------------------------------------------------------------------------

@PROPERTY_SETTINGS
@given(scenarios())
def test_it_finds_the_first_open_instant_the_clock_watching_oracle_finds(scenario):
    zone, windows, time_off, at = scenario
    assert next_open_instant(windows, zone, time_off, at) == oracle_next_open(
        windows, zone, time_off, at)


@PROPERTY_SETTINGS
@given(scenarios())
def test_it_answers_an_instant_not_before_the_question_inside_a_window_and_off_time_off(scenario):
    zone, windows, time_off, at = scenario
    found = next_open_instant(windows, zone, time_off, at)
    if found is None:
        # Time off here spans days, not the whole horizon: only a week without windows is shut.
        assert windows == []
        return
    assert found.utcoffset() == timedelta(0)
    assert found >= at
    assert not _on_time_off(found, time_off)
    assert _inside_a_window(_clock_mark(found, ZoneInfo(zone)), windows)


@PROPERTY_SETTINGS
@given(scenarios())
def test_it_gives_the_same_answer_when_asked_again_at_its_answer(scenario):
    zone, windows, time_off, at = scenario
    found = next_open_instant(windows, zone, time_off, at)
    if found is not None:
        assert next_open_instant(windows, zone, time_off, found) == found
        assert is_open(windows, zone, time_off, found)


@PROPERTY_SETTINGS
@given(scenarios())
def test_it_calls_an_instant_open_exactly_when_the_oracle_does(scenario):
    zone, windows, time_off, at = scenario
    assert is_open(windows, zone, time_off, at) == oracle_is_open(windows, zone, time_off, at)
