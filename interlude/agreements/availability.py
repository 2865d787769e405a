"""The availability engine: may this contact happen now, and if not, when will it be read?

Two layers. The core (everything above `check`) is pure: it takes weekly windows in the
clinician's own zone, time off as UTC intervals and an instant, and answers without touching the
database, so it can be tested exhaustively. The adapter at the bottom loads those facts for one
client in a fixed number of queries and calls the core.

How a local window becomes real time
------------------------------------
A window on a given local date opens at the first instant the clinician's clock reads its start
time or later, and closes at the first instant the clock reads its end time or later. That one
rule covers both daylight-saving changes:

* spring forward: a start or end that the clock skips (02:30 on the night the clock jumps from
  02:00 to 03:00) falls on the first instant after the gap (03:00 new time); a window lying
  wholly inside the gap (02:00-03:00) is empty that day;
* fall back: a repeated clock time counts at its first occurrence (fold=0), for the end as well
  as the start, so the window is one unbroken stretch of real time. 01:30-03:00 on the night the
  clock goes from 02:00 back to 01:00 lasts two and a half hours; 01:00-01:30 lasts half an hour
  and does not open again when the clock repeats 01:00.
"""

import bisect
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

HORIZON_DAYS = 400
CHANNELS = ("self_help", "automated", "inbox", "checkins", "crisis")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Window:
    """A weekly stretch [start, end) of local clock time on one weekday (0 = Monday)."""

    weekday: int
    start: time
    end: time

    def __post_init__(self):
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, not {self.weekday!r}")
        if self.end <= self.start:
            raise ValueError("a window must end after it starts, on the same day")


@dataclass(frozen=True)
class Availability:
    allowed: bool
    next_seen_at: datetime | None
    reason: str
    detail: str


@dataclass(frozen=True)
class AgreementFacts:
    """What `decide` needs to know about the client's current agreement."""

    exists: bool
    signed: bool = False
    self_help_open: bool = False
    automated_open: bool = False
    inbox_open: bool = False
    checkins_open: bool = False
    crisis_route: str = "resources"


NO_AGREEMENT = AgreementFacts(exists=False)


# --- turning local clock times into instants ------------------------------------------------

def _as_utc(at):
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("instants must be timezone-aware")
    return at.astimezone(UTC)


def _wall(instant, tz):
    return instant.astimezone(tz).replace(tzinfo=None)


def local_to_utc(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """The first instant at which the clock in `tz` reads `day` `clock` or later."""
    naive = datetime.combine(day, clock)
    # fold=0 picks the first occurrence of a repeated time.
    instant = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if _wall(instant, tz) == naive:
        return instant
    return _end_of_gap(naive, tz)


def _end_of_gap(naive, tz):
    """The instant the clock jumps over `naive`, which it never reads."""
    # In a gap, fold=1 maps with the offset after the change and lands before it in real time;
    # fold=0 maps with the offset before the change and lands after it.
    low = int(naive.replace(tzinfo=tz, fold=1).astimezone(UTC).timestamp()) - 1
    high = int(naive.replace(tzinfo=tz, fold=0).astimezone(UTC).timestamp()) + 1
    # Transitions fall on whole seconds, so a bisection over seconds finds the exact instant.
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(datetime.fromtimestamp(middle, UTC), tz) >= naive:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


# --- time off ----------------------------------------------------------------------------

class _TimeOff:
    """Time-off intervals merged into disjoint, sorted [start, end) spans."""

    def __init__(self, intervals):
        spans = sorted((_as_utc(s), _as_utc(e)) for s, e in intervals)
        merged = []
        for start, end in spans:
            if end <= start:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.spans = merged
        self.starts = [start for start, _ in merged]

    def covers(self, instant):
        i = bisect.bisect_right(self.starts, instant) - 1
        return i >= 0 and instant < self.spans[i][1]

    def first_free(self, instant):
        """The earliest instant >= `instant` outside time off (merged spans never touch)."""
        i = bisect.bisect_right(self.starts, instant) - 1
        if i >= 0 and instant < self.spans[i][1]:
            return self.spans[i][1]
        return instant


# --- the next open instant ---------------------------------------------------------------

def _by_weekday(windows):
    days = {}
    for window in sorted(windows, key=lambda w: (w.weekday, w.start, w.end)):
        days.setdefault(window.weekday, []).append(window)
    return days


def _scan_day(day_windows, day, tz, time_off, cursor):
    """Look for an open instant >= cursor among one local day's windows.

    Returns (found, cursor): the instant or None, and how far the search has safely advanced.
    """
    for window in day_windows:
        opens = local_to_utc(day, window.start, tz)
        closes = local_to_utc(day, window.end, tz)
        if closes <= cursor:
            continue
        candidate = time_off.first_free(max(cursor, opens))
        if candidate < closes:
            return candidate, cursor
        # Everything before `candidate` is either outside later windows or on time off.
        cursor = max(cursor, candidate)
    return None, cursor


def next_open_instant(windows: Iterable[Window], tz_name: str, time_off, at: datetime,
                      horizon_days: int = HORIZON_DAYS) -> datetime | None:
    """The earliest instant >= `at` inside a weekly window and outside time off (UTC), or None
    when there is none within `horizon_days` local days of `at`."""
    cursor = _as_utc(at)
    days = _by_weekday(windows)
    if not days:
        return None
    tz = ZoneInfo(tz_name)
    off = time_off if isinstance(time_off, _TimeOff) else _TimeOff(time_off)
    day = _wall(cursor, tz).date()
    last = day + timedelta(days=horizon_days)
    while day <= last:
        found, cursor = _scan_day(days.get(day.weekday(), ()), day, tz, off, cursor)
        if found is not None:
            return found
        # Windows of earlier local dates all close before the clock first reads that date.
        day = max(day + timedelta(days=1), _wall(cursor, tz).date())
    return None


def is_open(windows: Iterable[Window], tz_name: str, time_off, at: datetime) -> bool:
    at = _as_utc(at)
    return next_open_instant(windows, tz_name, time_off, at, horizon_days=1) == at


# --- deciding one contact ----------------------------------------------------------------

@dataclass(frozen=True)
class _Wording:
    """Reason codes and staff wording for one kind of hours (office or crisis)."""

    inside: str
    outside: str
    none: str
    name: str


OFFICE = _Wording("in_office_hours", "outside_office_hours", "no_office_hours", "office hours")
CRISIS = _Wording("in_crisis_hours", "outside_crisis_hours", "no_crisis_hours", "crisis hours")

CHANNEL_FLAGS = {"self_help": "self_help_open", "automated": "automated_open",
                 "inbox": "inbox_open", "checkins": "checkins_open"}


def describe_instant(instant, tz_name):
    local = instant.astimezone(ZoneInfo(tz_name))
    return f"{WEEKDAY_NAMES[local.weekday()]} {local:%Y-%m-%d %H:%M} ({tz_name})"


def _closed(reason, detail):
    return Availability(False, None, reason, detail)


def _by_hours(wording, windows, tz_name, time_off, at):
    off = _TimeOff(time_off)
    found = next_open_instant(windows, tz_name, off, at)
    if found == at:
        return Availability(True, at, wording.inside, f"Within the clinician's {wording.name}.")
    if found is None:
        return Availability(False, None, wording.none,
                            f"No {wording.name} in the next {HORIZON_DAYS} days.")
    when = describe_instant(found, tz_name)
    if off.covers(at):
        return Availability(False, found, "time_off",
                            f"The clinician is on time off; next {wording.name} start {when}.")
    return Availability(False, found, wording.outside,
                        f"Outside the clinician's {wording.name}; next open {when}.")


def _crisis(facts, crisis_windows, tz_name, time_off, at):
    if facts.crisis_route == "on_call":
        return Availability(True, at, "on_call_rota", "Crisis contact goes to the on-call rota.")
    if facts.crisis_route == "clinician":
        return _by_hours(CRISIS, crisis_windows, tz_name, time_off, at)
    return _closed("crisis_resources_only",
                   "The agreement routes crises to crisis resources only.")


def _agreement_gate(channel, facts):
    """The refusal that the agreement itself gives, before any hours are looked at."""
    if not facts.exists:
        return _closed("no_agreement", "The client has no connection agreement.")
    if not facts.signed:
        return _closed("not_signed", "The client has not signed the current agreement.")
    flag = CHANNEL_FLAGS.get(channel)
    if flag and not getattr(facts, flag):
        return _closed("channel_closed", f"The agreement does not open the {channel} channel.")
    return None


def decide(channel: str, agreement_facts: AgreementFacts, office_windows, crisis_windows,
           tz_name: str, time_off, at: datetime) -> Availability:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    at = _as_utc(at)
    refusal = _agreement_gate(channel, agreement_facts)
    if refusal is not None:
        return refusal
    if channel == "self_help":
        return Availability(True, at, "always_open", "Self-help tools are always open.")
    if channel == "automated":
        return Availability(True, at, "automated", "Automated messages are allowed.")
    if channel == "crisis":
        return _crisis(agreement_facts, crisis_windows, tz_name, time_off, at)
    return _by_hours(OFFICE, office_windows, tz_name, time_off, at)


# --- crisis hours as stored on the agreement ---------------------------------------------

def parse_window(row) -> Window:
    """One [weekday, "HH:MM", "HH:MM"] row; raises ValueError when it is not one."""
    try:
        weekday, start, end = row
        return Window(int(weekday), time.fromisoformat(start), time.fromisoformat(end))
    except (TypeError, ValueError) as error:
        raise ValueError(f"not a window: {row!r}") from error


def parse_crisis_hours(rows) -> list[Window]:
    """Windows from an agreement's crisis_hours; rows that do not parse are left out."""
    windows = []
    for row in rows or []:
        try:
            windows.append(parse_window(row))
        except ValueError:
            logger.warning("Skipping a malformed crisis-hours row")
    return windows


# --- the Django adapter ------------------------------------------------------------------

def _latest_agreements(client):
    from .models import ConnectionAgreement

    return (ConnectionAgreement.objects.filter(client=client)
            .select_related("clinician", "signature").order_by("-version"))


def current_agreement(client):
    """The client's highest agreement version (with its clinician and signature), or None."""
    return _latest_agreements(client).first()


def crisis_agreement(client):
    """The agreement whose crisis route is in force: the highest signed version, or None.

    A revision the client has not signed yet changes nothing for crises: withdrawing the route
    they agreed to until they sign would leave an urgent message with nobody to go to."""
    return _latest_agreements(client).filter(signature__isnull=False).first()


def is_signed(agreement) -> bool:
    from .models import AgreementSignature

    if agreement is None:
        return False
    try:
        return agreement.signature is not None
    except AgreementSignature.DoesNotExist:
        return False


def agreement_facts(agreement) -> AgreementFacts:
    if agreement is None:
        return NO_AGREEMENT
    return AgreementFacts(exists=True, signed=is_signed(agreement),
                          self_help_open=agreement.self_help_open,
                          automated_open=agreement.automated_open,
                          inbox_open=agreement.inbox_open,
                          checkins_open=agreement.checkins_open,
                          crisis_route=agreement.crisis_route)


def windows_for(clinician) -> list[Window]:
    from .models import OfficeHours

    rows = OfficeHours.objects.filter(clinician=clinician).values_list("weekday", "start", "end")
    return [Window(weekday, start, end) for weekday, start, end in rows]


def time_off_for(clinician, start, end) -> list[tuple[datetime, datetime]]:
    """The clinician's time off overlapping [start, end), as UTC intervals."""
    from .models import TimeOff

    rows = TimeOff.objects.filter(clinician=clinician, starts_at__lt=end, ends_at__gt=start)
    return list(rows.values_list("starts_at", "ends_at"))


def _now(at):
    from django.utils import timezone

    return _as_utc(at or timezone.now())


def _decider(client, at, needs_hours=True, signed_only=False):
    """Load what the rules need for `client` (at most three queries) and return a function
    from a channel to its Availability; signed_only reads the highest signed version (see
    crisis_agreement)."""
    # The notes are clinical text that a yes-or-no answer has no reason to decrypt.
    agreements = _latest_agreements(client).defer("notes")
    # With nothing signed at all, the newest version says why ("not signed").
    agreement = ((agreements.filter(signature__isnull=False).first() if signed_only else None)
                 or agreements.first())
    facts = agreement_facts(agreement)
    if not (facts.signed and needs_hours):
        return lambda channel: decide(channel, facts, [], [], "UTC", [], at)
    clinician = agreement.clinician
    # A window can close a day past the last local date searched, hence the two spare days.
    time_off = time_off_for(clinician, at, at + timedelta(days=HORIZON_DAYS + 2))
    office = windows_for(clinician)
    crisis = parse_crisis_hours(agreement.crisis_hours)
    return lambda channel: decide(channel, facts, office, crisis, clinician.time_zone,
                                  time_off, at)


def check(client, channel: str, at: datetime | None = None) -> Availability:
    """May `client` use `channel` at `at` (default now), and if not, when will it be seen?"""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    needs_hours = channel in ("inbox", "checkins", "crisis")
    return _decider(client, _now(at), needs_hours, signed_only=channel == "crisis")(channel)


def reading_hours(clinician, at: datetime | None = None) -> Availability:
    """Whether `clinician` reads messages at `at` by their office hours and time off alone,
    whatever any agreement says: for messages already sent under an agreement since revised."""
    at = _now(at)
    time_off = time_off_for(clinician, at, at + timedelta(days=HORIZON_DAYS + 2))
    return _by_hours(OFFICE, windows_for(clinician), clinician.time_zone, time_off, at)


def check_channels(client, at: datetime | None = None) -> dict[str, Availability]:
    """Every channel at once, from the same three queries: for pages that list them all."""
    at = _now(at)
    answer = _decider(client, at)
    found = {channel: answer(channel) for channel in CHANNELS}
    if found["crisis"].reason == "not_signed":  # a revision waits; the signed route stands
        found["crisis"] = check(client, "crisis", at)
    return found
