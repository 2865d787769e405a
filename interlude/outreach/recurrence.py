"""Recurrence rules (RFC 5545 RRULE) expanded on the client's own clock.

Pure Python, no Django: it can be tested exhaustively, and the planner, the pages and the API
share it.

How a rule becomes real time
----------------------------
A rule is expanded in local wall time, from a naive DTSTART, exactly as a calendar would on a
wall clock that never changes offset; each wall time is then placed in the client's zone. So a
weekly 9:00 message stays at 9:00 local time across daylight-saving changes (its UTC hour
moves instead). Placing a wall time follows the availability engine's rule (see
`interlude.agreements.availability`): a wall time happens at the first instant the clock reads
it or later, so

* spring forward: a time the clock skips (02:30 on the night it jumps from 02:00 to 03:00) moves
  to the first instant after the gap (03:00 new time);
* fall back: a repeated time happens once, at its first occurrence (fold=0).

Two wall times can land on the same instant in a gap (02:00 and 03:00 of an hourly rule on the
spring-forward night); that instant is kept once, so occurrences strictly increase.

What rules are accepted
-----------------------
These are messages to a person: nothing more often than hourly. A rule may use FREQ (HOURLY,
DAILY, WEEKLY, MONTHLY or YEARLY), INTERVAL, COUNT or UNTIL, BYDAY, BYMONTHDAY, BYMONTH,
BYHOUR, BYMINUTE (one value) and WKST. UNTIL is local time like DTSTART (RFC 5545 asks the two
to have the same type); a bare date means the end of that day.

Quiet hours
-----------
`quiet_stretch` finds the stretch of the client's quiet hours (local times that may wrap
midnight, e.g. 21:00-08:00) around an instant; `after_quiet_hours` moves an instant inside one
to its end.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

# The availability engine's core is pure (it imports no Django at import time), so both places
# turn a local clock time into an instant by one rule.
from interlude.agreements.availability import local_to_utc

FREQUENCIES = ("HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
TOO_FREQUENT = ("SECONDLY", "MINUTELY")
SUPPORTED = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYHOUR",
             "BYMINUTE", "WKST")
UNSUPPORTED = {
    "BYSECOND": "seconds are not supported",
    "BYSETPOS": "BYSETPOS is not supported; use an ordinal weekday such as BYDAY=-1FR",
    "BYYEARDAY": "BYYEARDAY is not supported",
    "BYWEEKNO": "BYWEEKNO is not supported",
    "BYEASTER": "BYEASTER is not supported",
}
MAX_TEXT = 500
MAX_COUNT = 10_000
MAX_INTERVAL = 1_000
# A rule must happen at least once this soon after its start, or it is refused as never
# happening (and an impossible rule cannot make the planner search for ever).
FIRST_WITHIN = timedelta(days=5 * 366)
# Local wall time differs from UTC by less than a day, so a day either side of the asked window
# holds every wall time that can land in it.
SLACK = timedelta(days=1)
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
BYDAY_VALUE = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
UNTIL_VALUE = re.compile(r"^(\d{8})(T\d{6})?$")
MONTH_DAYS = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}
STEP = {"HOURLY": timedelta(hours=1), "DAILY": timedelta(days=1), "WEEKLY": timedelta(weeks=1)}


@dataclass(frozen=True)
class Rule:
    """A checked rule: its canonical text and its parts, in the order given."""

    text: str
    parts: dict

    @property
    def freq(self):
        return self.parts["FREQ"]

    @property
    def interval(self):
        return int(self.parts.get("INTERVAL", "1"))

    def values(self, name):
        value = self.parts.get(name)
        return value.split(",") if value else []

    def expand(self, dtstart: datetime):
        """The dateutil rule over naive local wall times."""
        return rrulestr(self.text, dtstart=dtstart)


# --- reading and checking a rule -------------------------------------------------------------

def _split(text):
    if not isinstance(text, str) or not text.strip():
        raise ValueError("The recurrence rule is empty.")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"The recurrence rule is longer than {MAX_TEXT} characters.")
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:"):]
    parts = {}
    for piece in text.split(";"):
        name, sep, value = piece.partition("=")
        name, value = name.strip().upper(), value.strip().upper()
        if not sep or not name or not value:
            raise ValueError(f"'{piece}' is not a NAME=VALUE part of a recurrence rule.")
        if name in parts:
            raise ValueError(f"{name} appears twice in the recurrence rule.")
        parts[name] = value
    return parts


def _check_names(parts):
    for name in parts:
        if name in UNSUPPORTED:
            raise ValueError(f"Unsupported rule part: {UNSUPPORTED[name]}.")
        if name not in SUPPORTED:
            raise ValueError(f"Unknown rule part {name}.")
    freq = parts.get("FREQ")
    if freq is None:
        raise ValueError("The recurrence rule needs a FREQ, e.g. FREQ=WEEKLY.")
    if freq in TOO_FREQUENT:
        raise ValueError("Too frequent: these are messages to a person; at most one an hour.")
    if freq not in FREQUENCIES:
        raise ValueError(f"FREQ must be one of {', '.join(FREQUENCIES)}.")
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValueError("Use COUNT or UNTIL, not both.")


def _positive(parts, name, ceiling):
    if name not in parts:
        return
    value = parts[name]
    if not value.isdigit() or not 1 <= int(value) <= ceiling:
        raise ValueError(f"{name} must be a whole number from 1 to {ceiling}.")


def _check_byday(parts):
    for value in parts.get("BYDAY", "").split(",") if "BYDAY" in parts else []:
        match = BYDAY_VALUE.match(value)
        if not match:
            raise ValueError(f"'{value}' is not a weekday (MO, TU, WE, TH, FR, SA, SU).")
        if match.group(1) and parts["FREQ"] not in ("MONTHLY", "YEARLY"):
            raise ValueError("A numbered weekday (such as 1MO) needs FREQ=MONTHLY or YEARLY.")


def _check_frequency(parts):
    # Distinct hours are at least an hour apart; two minutes in one hour are not.
    if len(parts.get("BYMINUTE", "").split(",")) > 1:
        raise ValueError("Too frequent: more than one message an hour (several BYMINUTE values).")


def _check_month_days(parts):
    """Refuse at once a day of the month that none of the rule's months has (30 February),
    which dateutil would otherwise search for until the year 9999."""
    if "BYMONTHDAY" not in parts:
        return
    try:
        days = [int(v) for v in parts["BYMONTHDAY"].split(",")]
        months = [int(v) for v in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else []
    except ValueError as error:
        raise ValueError("BYMONTHDAY and BYMONTH take whole numbers.") from error
    longest = max((MONTH_DAYS.get(m, 31) for m in months), default=31)
    if not any(1 <= abs(day) <= longest for day in days):
        raise ValueError("This rule never happens: none of its months has that day.")


def _normalise_until(parts):
    if "UNTIL" not in parts:
        return
    value = parts["UNTIL"]
    if value.endswith("Z"):
        raise ValueError("UNTIL must be local time without 'Z': the schedule follows the "
                         "client's clock, like its start.")
    match = UNTIL_VALUE.match(value)
    if not match:
        raise ValueError("UNTIL must be a date (YYYYMMDD) or a local date and time "
                         "(YYYYMMDDTHHMMSS).")
    if match.group(2) is None:
        # A bare date includes that whole day.
        parts["UNTIL"] = value + "T235959"


def parse_rule(text: str, dtstart_local: datetime | None = None) -> Rule:
    """Check a rule's text and return it as a `Rule`; raise ValueError with a plain reason.

    With `dtstart_local`, also refuse a rule that would not happen within five years of it.
    """
    parts = _split(text)
    _check_names(parts)
    _positive(parts, "INTERVAL", MAX_INTERVAL)
    _positive(parts, "COUNT", MAX_COUNT)
    _check_byday(parts)
    _check_frequency(parts)
    _check_month_days(parts)
    _normalise_until(parts)
    rule = Rule(";".join(f"{name}={value}" for name, value in parts.items()), parts)
    start = dtstart_local or datetime(2000, 1, 1)
    try:
        expanded = rule.expand(_naive(start))
    except (ValueError, TypeError) as error:
        raise ValueError(f"Not a valid recurrence rule: {error}.") from error
    if dtstart_local is not None and _first(expanded, start) is None:
        raise ValueError("This rule never happens (not within five years of its start).")
    return rule


def _first(expanded, start):
    first = next(iter(expanded), None)
    return first if first is not None and first <= start + FIRST_WITHIN else None


def _naive(moment):
    if moment.tzinfo is not None:
        raise ValueError("DTSTART is a naive local wall time in the client's zone.")
    return moment


# --- expanding a rule into instants ----------------------------------------------------------

def _as_utc(at):
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("window bounds must be timezone-aware")
    return at.astimezone(UTC)


def _wall(instant, tz):
    return instant.astimezone(tz).replace(tzinfo=None)


def _fast_forward(rule, dtstart, low):
    """A later start giving the same occurrences from `low` on, so a rule that began years ago
    is not walked from its first day on every call.

    Safe when the rule has no COUNT and a fixed period: moving the start by whole periods keeps
    its phase (INTERVAL, WKST) and every default it takes from the start (weekday, time).
    """
    step = STEP.get(rule.freq)
    if step is None or "COUNT" in rule.parts or low <= dtstart:
        return dtstart
    period = step * rule.interval
    return dtstart + period * ((low - dtstart) // period)


def occurrences(rrule_text: str, dtstart_local: datetime, tz_name: str, after_utc: datetime,
                before_utc: datetime, limit: int | None = None) -> list[datetime]:
    """The rule's occurrences in [after_utc, before_utc), as aware UTC datetimes in order.

    The rule runs on the wall clock of `tz_name` from the naive `dtstart_local`; see the module
    docstring for daylight-saving changes. `limit` stops after that many.
    """
    rule = parse_rule(rrule_text)
    tz = ZoneInfo(tz_name)
    after, before = _as_utc(after_utc), _as_utc(before_utc)
    dtstart = _naive(dtstart_local)
    low, high = _wall(after, tz) - SLACK, _wall(before, tz) + SLACK
    found = []
    for naive in rule.expand(_fast_forward(rule, dtstart, low)):
        if naive > high or (limit is not None and len(found) >= limit):
            break
        if naive < low:
            continue
        instant = local_to_utc(naive.date(), naive.time(), tz)
        if after <= instant < before and (not found or instant > found[-1]):
            found.append(instant)
    return found


# --- quiet hours -----------------------------------------------------------------------------

def quiet_stretch(instant: datetime, tz_name: str, start: time, end: time):
    """The quiet stretch (begins, ends) in UTC that strictly contains `instant`, or None.

    Each night is one stretch of real time from the first instant the client's clock reads
    `start` to the first instant it reads `end` (the next day when the hours wrap midnight), so
    it is an hour shorter or longer on the nights the clocks change. Its first and last instants
    are not quiet: a message due at 21:00 or 08:00 sharp goes then. Equal times mean no quiet
    hours. (The same convention as appointment reminders.)
    """
    if start == end:
        return None
    instant = _as_utc(instant)
    tz = ZoneInfo(tz_name)
    wraps = end < start
    day = instant.astimezone(tz).date()
    for first_day in (day - timedelta(days=1), day):
        last_day = first_day + timedelta(days=1) if wraps else first_day
        begins = local_to_utc(first_day, start, tz)
        ends = local_to_utc(last_day, end, tz)
        if begins < instant < ends:
            return begins, ends
    return None


def in_quiet_hours(instant: datetime, tz_name: str, start: time, end: time) -> bool:
    return quiet_stretch(instant, tz_name, start, end) is not None


def after_quiet_hours(instant: datetime, tz_name: str, start: time, end: time) -> datetime:
    """`instant` itself (UTC), or the end of the quiet stretch it falls in."""
    stretch = quiet_stretch(instant, tz_name, start, end)
    return _as_utc(instant) if stretch is None else stretch[1]


# --- plain words -----------------------------------------------------------------------------

def _clock_times(rule, dtstart):
    hours = [int(h) for h in rule.values("BYHOUR")] or ([dtstart.hour] if dtstart else [])
    minutes = [int(m) for m in rule.values("BYMINUTE")] or [dtstart.minute if dtstart else 0]
    return [f"{h}:{m:02d}" for h in sorted(hours) for m in minutes]


def _and(items):
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _weekday_words(rule):
    words = []
    for value in rule.values("BYDAY"):
        match = BYDAY_VALUE.match(value)
        name = DAY_NAMES[DAY_CODES.index(match.group(2))]
        ordinal = match.group(1)
        words.append(f"the {_ordinal(int(ordinal))} {name}" if ordinal else name)
    return words


def _ordinal(n):
    if n == -1:
        return "last"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")
    return f"{n}{suffix}"


def _every(rule):
    unit = {"HOURLY": "hour", "DAILY": "day", "WEEKLY": "week", "MONTHLY": "month",
            "YEARLY": "year"}[rule.freq]
    return f"every {unit}" if rule.interval == 1 else f"every {rule.interval} {unit}s"


def _on_days(rule):
    days = _weekday_words(rule)
    if rule.freq == "WEEKLY" and rule.interval == 1 and days:
        return "every " + _and(days), ""
    on = []
    if days:
        on.append(_and(days))
    if rule.values("BYMONTHDAY"):
        on.append("day " + _and(rule.values("BYMONTHDAY")))
    return _every(rule), (" on " + ", ".join(on)) if on else ""


def _ending(rule):
    if "COUNT" in rule.parts:
        count = int(rule.parts["COUNT"])
        return f", {count} time" + ("" if count == 1 else "s")
    if "UNTIL" in rule.parts:
        until = datetime.strptime(rule.parts["UNTIL"], "%Y%m%dT%H%M%S")
        return f", until {until.date().isoformat()}"
    return ""


def describe(rrule_text: str, lang: str = "en", dtstart_local: datetime | None = None) -> str:
    """A short plain description, e.g. "every Monday at 9:00". English for now (the staff
    pages are); other languages fall back to it."""
    rule = parse_rule(rrule_text)
    if rule.freq == "HOURLY":
        minutes = rule.values("BYMINUTE") or [str(dtstart_local.minute if dtstart_local else 0)]
        head = f"{_every(rule)} at minute {int(minutes[0])}"
        return head + _ending(rule)
    every, on = _on_days(rule)
    months = rule.values("BYMONTH")
    in_months = f" in month {_and(months)}" if months else ""
    times = _clock_times(rule, dtstart_local)
    at = f" at {_and(times)}" if times else ""
    return f"{every}{on}{in_months}{at}{_ending(rule)}"


def local_date_time(day: date, clock: time) -> datetime:
    """The naive local DTSTART for a start date and a time of day."""
    return datetime.combine(day, clock.replace(second=0, microsecond=0, tzinfo=None))
