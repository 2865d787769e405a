"""The connection agreement in plain words, as the client reads it.

Pure functions: they take an agreement (any object with the agreement's fields) and a
`Parties` record of the facts around it, and return a list of `Section`s in the active language.
Nothing here touches the database, so every preset and crisis route can be tested directly.

Hours are written the way a therapist would say them to a client: grouped by day ("on weekdays
9:00-17:00"), in the clinician's zone, and again in the client's own zone for the week being
looked at, so a daylight-saving change on one side only shows the right hours.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

DAY_NAMES = (pgettext_lazy("weekday", "Monday"), pgettext_lazy("weekday", "Tuesday"),
             pgettext_lazy("weekday", "Wednesday"), pgettext_lazy("weekday", "Thursday"),
             pgettext_lazy("weekday", "Friday"), pgettext_lazy("weekday", "Saturday"),
             pgettext_lazy("weekday", "Sunday"))
# Recurring days ("on Mondays"); Spanish needs its own plural forms for Saturday and Sunday.
DAYS_PLURAL = (gettext_lazy("Mondays"), gettext_lazy("Tuesdays"), gettext_lazy("Wednesdays"),
               gettext_lazy("Thursdays"), gettext_lazy("Fridays"), gettext_lazy("Saturdays"),
               gettext_lazy("Sundays"))

# Names clients recognise for the zones most practices work in; other zones use the city.
ZONE_NAMES = {
    "America/Los_Angeles": gettext_lazy("Pacific time"),
    "America/Vancouver": gettext_lazy("Pacific time"),
    "America/Tijuana": gettext_lazy("Pacific time"),
    "America/Denver": gettext_lazy("Mountain time"),
    "America/Edmonton": gettext_lazy("Mountain time"),
    "America/Boise": gettext_lazy("Mountain time"),
    "America/Phoenix": gettext_lazy("Arizona time"),
    "America/Chicago": gettext_lazy("Central time"),
    "America/Winnipeg": gettext_lazy("Central time"),
    "America/New_York": gettext_lazy("Eastern time"),
    "America/Detroit": gettext_lazy("Eastern time"),
    "America/Toronto": gettext_lazy("Eastern time"),
    "America/Halifax": gettext_lazy("Atlantic time"),
    "America/St_Johns": gettext_lazy("Newfoundland time"),
    "America/Anchorage": gettext_lazy("Alaska time"),
    "America/Puerto_Rico": gettext_lazy("Puerto Rico time"),
    "Pacific/Honolulu": gettext_lazy("Hawaii time"),
    "Europe/London": gettext_lazy("UK time"),
    "Europe/Dublin": gettext_lazy("Irish time"),
    "Europe/Madrid": gettext_lazy("Spain time"),
    "Atlantic/Canary": gettext_lazy("Canary Islands time"),
}

@dataclass(frozen=True)
class Parties:
    """The facts around an agreement that the plain-language page needs."""

    clinician_name: str
    clinician_zone: str
    client_zone: str
    office_hours: tuple = ()  # (weekday, start, end) or objects with those attributes
    resources: tuple = ()  # crisis.resources.CrisisResource in the reader's language
    today: date | None = None  # the week whose hours are converted; defaults to this week


@dataclass(frozen=True)
class Item:
    title: str
    text: str


@dataclass(frozen=True)
class CrisisLine:
    name: str
    how: str
    hours: str
    phone_href: str = ""
    phone_label: str = ""
    text_href: str = ""
    text_label: str = ""
    url: str = ""


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list = field(default_factory=list)
    items: list = field(default_factory=list)
    quote: str = ""
    lines: list = field(default_factory=list)


# --- hours ---------------------------------------------------------------------------------

def _as_tuple(window):
    if isinstance(window, (tuple, list)):
        day, start, end = window
    else:
        day, start, end = window.weekday, window.start, window.end
    if isinstance(start, str):
        start, end = time.fromisoformat(start), time.fromisoformat(end)
    return int(day), start, end


def clock(value):
    return f"{value.hour}:{value.minute:02d}"


def zone_name(zone):
    if zone in ZONE_NAMES:
        return str(ZONE_NAMES[zone])
    place = zone.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(place)s time") % {"place": place}


def to_zone(windows, from_zone, to_zone_, today):
    """Weekly windows in `from_zone` as the clock in `to_zone_` reads them in the week of
    `today`. A window may end after midnight there; it keeps the weekday it starts on."""
    source, target = ZoneInfo(from_zone), ZoneInfo(to_zone_)
    monday = today - timedelta(days=today.weekday())
    converted = []
    for day, start, end in map(_as_tuple, windows):
        local_day = monday + timedelta(days=day)
        opens = datetime.combine(local_day, start, tzinfo=source).astimezone(target)
        closes = datetime.combine(local_day, end, tzinfo=source).astimezone(target)
        converted.append((opens.weekday(), opens.time(), closes.time()))
    return converted


def group_by_days(windows):
    """[(days, spans)]: days that share exactly the same spans, in weekday order."""
    by_day = defaultdict(list)
    for day, start, end in map(_as_tuple, windows):
        by_day[day].append((start, end))
    groups = defaultdict(list)
    for day in sorted(by_day):
        groups[tuple(sorted(by_day[day]))].append(day)
    return sorted(((tuple(days), spans) for spans, days in groups.items()),
                  key=lambda group: group[0])


def days_phrase(days):
    days = tuple(sorted(days))
    if days == tuple(range(7)):
        return _("every day")
    if days == tuple(range(5)):
        return _("on weekdays")
    if days == (5, 6):
        return _("at weekends")
    if len(days) >= 3 and days == tuple(range(days[0], days[-1] + 1)):
        return _("from %(first)s to %(last)s") % {"first": DAY_NAMES[days[0]],
                                                   "last": DAY_NAMES[days[-1]]}
    return _("on %(days)s") % {"days": get_text_list([str(DAYS_PLURAL[d]) for d in days],
                                                     _("and"))}


def spans_phrase(spans):
    return get_text_list([_("%(start)s-%(end)s") % {"start": clock(s), "end": clock(e)}
                          for s, e in spans], _("and"))


def hours_phrase(groups, with_days=True):
    parts = []
    for days, spans in groups:
        if with_days:
            parts.append(_("%(days)s %(spans)s") % {"days": days_phrase(days),
                                                   "spans": spans_phrase(spans)})
        else:
            parts.append(spans_phrase(spans))
    return get_text_list(parts, _("and"))


def hours_in_both_zones(windows, clinician_zone, client_zone, today):
    """(the hours in the clinician's zone, the same hours in the client's zone or "" when the
    client's clock reads the same)."""
    theirs = group_by_days(windows)
    yours = group_by_days(to_zone(windows, clinician_zone, client_zone, today))
    there = _("%(hours)s %(zone)s") % {"hours": hours_phrase(theirs),
                                       "zone": zone_name(clinician_zone)}
    if yours == theirs:
        return there, ""
    same_days = len(yours) == 1 and [d for d, _s in yours] == [d for d, _s in theirs]
    return there, hours_phrase(yours, with_days=not same_days)


def hours_sentence(template, windows, parties):
    """`template` has %(name)s, %(when)s and %(yours)s; the result says the hours both ways."""
    there, here = hours_in_both_zones(windows, parties.clinician_zone, parties.client_zone,
                                      _today(parties))
    if not here:
        return template % {"name": parties.clinician_name, "when": there,
                           "yours": _("the same as your time")}
    return template % {"name": parties.clinician_name, "when": there,
                       "yours": _("that is %(hours)s your time") % {"hours": here}}


def reading_hours_sentence(parties):
    if not parties.office_hours:
        return _("%(name)s has not set their reading hours yet.") % {
            "name": parties.clinician_name}
    return hours_sentence(_("%(name)s reads messages %(when)s (%(yours)s)."),
                          parties.office_hours, parties)


def _today(parties):
    if parties.today is not None:
        return parties.today
    return datetime.now(ZoneInfo(parties.clinician_zone)).date()


# --- sections ------------------------------------------------------------------------------

def build_sections(agreement, parties):
    sections = [uses_section(agreement, parties)]
    if agreement.inbox_open:
        sections.append(answer_section(agreement, parties))
    if agreement.checkins_open:
        sections.append(checkins_section(agreement))
    if agreement.coaching_calls or agreement.twenty_four_hour_rule:
        sections.append(coaching_section(agreement, parties))
    closed = closed_section(agreement, parties)
    if closed.items:
        sections.append(closed)
    sections.append(crisis_section(agreement, parties))
    return sections


def open_channels(agreement, parties):
    name = parties.clinician_name
    items = []
    if agreement.self_help_open:
        items.append(Item(_("Self-help tools"), _(
            "Use them any time, day or night. They help you practise what you learn in "
            "sessions, on your own.")))
    if agreement.automated_open:
        items.append(Item(_("Reminders and short questionnaires"), _(
            "Interlude sends you reminders about appointments, and sometimes a few short "
            "questions about how you are doing. Nobody is waiting to chat on the other end.")))
    if agreement.inbox_open:
        items.append(Item(_("Messages"), _(
            "For things that can wait until %(name)s reads them: changing an appointment, a "
            "question about your homework, or something you want to talk about next time. "
            "Messages are not for emergencies.") % {"name": name}))
    if agreement.checkins_open:
        items.append(Item(_("Brief check-ins"), _(
            "A short call or text with %(name)s at a time you book ahead.") % {"name": name}))
    if agreement.coaching_calls:
        items.append(Item(_("Coaching calls"), _(
            "A short call when you need help using a skill in a hard moment.")))
    items.append(Item(_("Crisis lines"), _(
        "Any time you are in danger or feel you cannot keep yourself safe. They are always "
        "open.")))
    return items


def uses_section(agreement, parties):
    return Section("uses", _("What to use for what"), items=open_channels(agreement, parties))


def answer_section(agreement, parties):
    name = parties.clinician_name
    section = Section("answers", _("When to expect an answer"))
    section.paragraphs.append(reading_hours_sentence(parties))
    if agreement.inbox_promise:
        section.quote = agreement.inbox_promise
    days = agreement.inbox_response_business_days
    if days:
        section.paragraphs.append(ngettext(
            "Expect an answer within %(days)s working day. Weekends and holidays do not count.",
            "Expect an answer within %(days)s working days. Weekends and holidays do not count.",
            days) % {"days": days})
    if agreement.inbox_may_not_reply:
        section.paragraphs.append(_(
            "%(name)s may not reply to every message. If there is no reply, that does not mean "
            "you were ignored: you will talk about it together at your next session.")
            % {"name": name})
    else:
        section.paragraphs.append(_("If your message needs a reply, you will get one."))
    section.paragraphs.append(_(
        "A message sent outside these hours, or while %(name)s is away, waits until they are "
        "back. Before you send, Interlude tells you when it will be read.") % {"name": name})
    return section


def checkins_section(agreement):
    cap, minutes = agreement.checkin_weekly_cap, agreement.checkin_minutes
    return Section("checkins", _("Brief check-ins"), paragraphs=[
        ngettext("You can book up to %(cap)s check-in a week.",
                 "You can book up to %(cap)s check-ins a week.", cap) % {"cap": cap},
        ngettext("Each one lasts up to %(minutes)s minute.",
                 "Each one lasts up to %(minutes)s minutes.", minutes) % {"minutes": minutes},
        _("A check-in is a short touch-base, not a full session. Bigger things are for your "
          "next session."),
    ])


def coaching_section(agreement, parties):
    name = parties.clinician_name
    section = Section("coaching", _("Coaching calls"))
    if agreement.coaching_calls:
        minutes = agreement.coaching_call_minutes or 10
        section.paragraphs += [
            _("When you are stuck in a hard moment and need help using a skill, you can call "
              "%(name)s for coaching.") % {"name": name},
            ngettext("Calls are short, about %(minutes)s minute. Together you pick one skill "
                     "to use right now.",
                     "Calls are short, about %(minutes)s minutes. Together you pick one skill "
                     "to use right now.", minutes) % {"minutes": minutes},
        ]
        if agreement.crisis_route == "clinician" and agreement.crisis_hours:
            section.paragraphs.append(hours_sentence(
                _("You can call %(name)s %(when)s (%(yours)s)."), agreement.crisis_hours,
                parties))
    if agreement.twenty_four_hour_rule:
        section.paragraphs += [
            _("The 24-hour rule: please call before you hurt yourself, not after."),
            _("If you have already hurt yourself, do not call for coaching for the next 24 "
              "hours. If you are hurt badly, call emergency services right away. You can still "
              "come to your next session, and you will talk about what happened there."),
            _("This rule is not a punishment. It makes reaching out early, before things get "
              "worse, the thing that gets you help."),
        ]
    return section


def closed_channels(agreement, parties):
    name = parties.clinician_name
    instead_of_messages = (_("Send a message instead.") if agreement.inbox_open
                           else _("Bring it to your next session instead."))
    closed = []
    if not agreement.self_help_open:
        closed.append(Item(_("Self-help tools"), _(
            "If you would like some, ask %(name)s at your next session.") % {"name": name}))
    if not agreement.automated_open:
        closed.append(Item(_("Reminders and short questionnaires"), _(
            "Keep a note of your appointments yourself.")))
    if not agreement.inbox_open:
        closed.append(Item(_("Messages"), _(
            "Keep a note of what comes up between sessions and bring it to your next one.")))
    if not agreement.checkins_open:
        closed.append(Item(_("Brief check-ins"), instead_of_messages))
    if not agreement.coaching_calls:
        closed.append(Item(_("Coaching calls"), _(
            "In a hard moment, use your safety plan and the crisis lines below.")))
    return closed


def closed_section(agreement, parties):
    return Section("closed", _("Not part of our agreement"),
                   paragraphs=[_("These are not part of our agreement for now:")],
                   items=closed_channels(agreement, parties))


def crisis_route_text(agreement, parties):
    name = parties.clinician_name
    route = agreement.crisis_route
    if route == "clinician" and agreement.crisis_hours:
        return [
            hours_sentence(_("In a crisis, you can reach %(name)s %(when)s (%(yours)s)."),
                           agreement.crisis_hours, parties),
            _("Outside these hours, or if you cannot reach %(name)s, call one of the lines "
              "below. Do not wait.") % {"name": name},
        ]
    if route == "on_call":
        return [
            _("In a crisis, our practice has a clinician on call at any hour. When a message "
              "you send us says you may be in danger, the clinician on call is told straight "
              "away."),
            _("They may not be able to answer at once. If you are in danger now, call one of "
              "the lines below first."),
        ]
    return [
        _("%(name)s cannot answer in a crisis between sessions. Messages wait for their "
          "reading hours, and that is too long when you need help now.") % {"name": name},
        _("If you are in danger or feel you cannot keep yourself safe, call one of these "
          "lines now."),
    ]


def crisis_line(resource):
    phone, text = resource.phone, resource.text
    return CrisisLine(
        name=resource.name, how=resource.how,
        hours=_hours_text(resource.hours),
        phone_href=f"tel:{phone}" if phone else "",
        phone_label=_("Call %(number)s") % {"number": phone} if phone else "",
        text_href=f"sms:{text}" if text else "",
        text_label=_("Text %(number)s") % {"number": text} if text else "",
        url=resource.url,
    )


def _hours_text(hours):
    if hours == "24/7":
        return _("Open day and night")
    return hours


def crisis_section(agreement, parties):
    section = Section("crisis", _("In a crisis"), paragraphs=crisis_route_text(agreement, parties))
    section.paragraphs.append(_("Your safety plan is there for you at any time, too."))
    section.lines = [crisis_line(r) for r in parties.resources]
    return section
