"""What the client is told before they send a message: when it will be read, what the
agreement promises, and where urgent help is.

The wording functions are pure: they take an `InboxFacts` record and the availability engine's
answer for one instant, and return sentences in the active language. `facts_for` and
`expectation_for` are the thin database side for the pages.

Hours are said in the clinician's zone and again in the client's, for the week in which a
message sent now will be read, so a daylight-saving change on one side only shows the hours
that will really apply.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from interlude.agreements import availability
from interlude.agreements.plain_language import Parties, hours_sentence, reading_hours_sentence
from interlude.outreach.reminders import local_words

# Sentences that name the clinician by pronoun: one translatable string per pronoun, since
# languages agree verbs and possessives differently ("she"/"her", "they"/"their").
BY_PRONOUN = {
    "open": {
        "she": gettext_lazy("It is within her reading hours now, so your message reaches her "
                            "straight away."),
        "he": gettext_lazy("It is within his reading hours now, so your message reaches him "
                           "straight away."),
        "they": gettext_lazy("It is within their reading hours now, so your message reaches "
                             "them straight away."),
    },
    "outside": {
        "she": gettext_lazy("It is outside her reading hours now: your message will wait "
                            "until %(day)s %(at_time)s your time."),
        "he": gettext_lazy("It is outside his reading hours now: your message will wait "
                           "until %(day)s %(at_time)s your time."),
        "they": gettext_lazy("It is outside their reading hours now: your message will wait "
                             "until %(day)s %(at_time)s your time."),
    },
    "away": {
        "she": gettext_lazy("She is away until %(day)s; your message will be read then, "
                            "%(at_time)s your time."),
        "he": gettext_lazy("He is away until %(day)s; your message will be read then, "
                           "%(at_time)s your time."),
        "they": gettext_lazy("They are away until %(day)s; your message will be read then, "
                             "%(at_time)s your time."),
    },
    "may_not_reply": {
        "she": gettext_lazy("She may not reply to every message. If there is no reply, that "
                            "does not mean you were ignored: you will talk about it together "
                            "at your next session."),
        "he": gettext_lazy("He may not reply to every message. If there is no reply, that "
                           "does not mean you were ignored: you will talk about it together "
                           "at your next session."),
        "they": gettext_lazy("They may not reply to every message. If there is no reply, that "
                             "does not mean you were ignored: you will talk about it together "
                             "at your next session."),
    },
}


@dataclass(frozen=True)
class InboxFacts:
    """What the wording needs to know about the client, their clinician and the agreement."""

    clinician_name: str
    pronoun: str
    clinician_zone: str
    client_zone: str
    office_hours: tuple = ()  # (weekday, start, end) or objects with those attributes
    inbox_promise: str = ""
    response_days: int | None = None
    may_not_reply: bool = False
    crisis_route: str = "resources"
    crisis_hours: tuple = ()  # the agreement's [weekday, "HH:MM", "HH:MM"] rows
    self_help_open: bool = False


@dataclass(frozen=True)
class Expectation:
    """The box above the compose form, and the facts behind it."""

    open_now: bool
    read_at: datetime | None  # when a message sent now is read; None when now or never set
    reason: str
    status: str
    hours: str
    now: str
    promise: str
    answer: str
    reply: str
    crisis: tuple

    @property
    def summary(self):
        """The hours and when a message sent now is read, as one paragraph."""
        return f"{self.hours} {self.now}"


# --- pieces ----------------------------------------------------------------------------------

def said_by(key, pronoun):
    sentences = BY_PRONOUN[key]
    return str(sentences.get(pronoun, sentences["they"]))


def day_and_time(instant, zone):
    """("Monday 30 November", "at 18:00") in `zone` and the active language; the hour picks
    the form, as Spanish says "a la 1:00" but "a las 2:00"."""
    day, clock = local_words(instant, zone, get_language() or "en")
    hour = instant.astimezone(ZoneInfo(zone)).hour
    return day, ngettext("at %(time)s", "at %(time)s", hour) % {"time": clock}


def week_shown(facts, answer, at):
    """The clinician's local date whose week the hours are converted for: the week in which
    a message sent now is read."""
    instant = answer.next_seen_at or at
    return instant.astimezone(ZoneInfo(facts.clinician_zone)).date()


def parties(facts, today):
    return Parties(clinician_name=facts.clinician_name, clinician_zone=facts.clinician_zone,
                   client_zone=facts.client_zone, office_hours=tuple(facts.office_hours),
                   today=today)


def status_words(answer):
    """A short label for the state of the inbox right now."""
    if answer.allowed:
        return _("Reading hours now")
    if answer.reason == "time_off":
        return _("Away now")
    if answer.next_seen_at is None:
        return _("No reading hours set")
    return _("Outside reading hours now")


def now_sentence(facts, answer):
    """Whether the clinician reads now, and if not, when a message sent now is read."""
    if answer.allowed:
        return said_by("open", facts.pronoun)
    if answer.next_seen_at is None:
        return _("%(name)s has no reading hours set at the moment, so there is no set time "
                 "when your message will be read.") % {"name": facts.clinician_name}
    day, at_time = day_and_time(answer.next_seen_at, facts.client_zone)
    key = "away" if answer.reason == "time_off" else "outside"
    return said_by(key, facts.pronoun) % {"day": day, "at_time": at_time}


def answer_sentence(facts):
    days = facts.response_days
    if not days:
        return ""
    return ngettext(
        "Expect an answer within %(days)s working day. Weekends and holidays do not count.",
        "Expect an answer within %(days)s working days. Weekends and holidays do not count.",
        days) % {"days": days}


def reply_sentence(facts):
    if facts.may_not_reply:
        return said_by("may_not_reply", facts.pronoun)
    return _("If your message needs a reply, you will get one.")


def crisis_sentences(facts, today):
    """What the crisis route of the agreement means for an urgent message."""
    name = facts.clinician_name
    if facts.crisis_route == "on_call":
        # Honest about gaps in the rota: the screen after sending says who was told, if anyone.
        return (_("For anything urgent, use your crisis plan. If your message says you may be "
                  "in danger, the practice's clinician on call is told straight away; if nobody "
                  "is on call at that moment, the next screen tells you so. If you are in danger "
                  "now, call a crisis line first."),)
    if facts.crisis_route == "clinician" and facts.crisis_hours:
        return (
            _("For anything urgent, use your crisis plan. If your message says you may be in "
              "danger, %(name)s is told straight away during the crisis hours of your "
              "agreement, except on time off; at other times, call a crisis line.")
            % {"name": name},
            hours_sentence(_("In a crisis, you can reach %(name)s %(when)s (%(yours)s)."),
                           facts.crisis_hours, parties(facts, today)),
        )
    return (_("Messages are not for emergencies. For anything urgent, use your crisis plan "
              "and the crisis lines: the Crisis help button on every page."),)


def expectation(facts: InboxFacts, answer: availability.Availability, at: datetime):
    """Everything the client should know before sending at `at`, given the engine's answer."""
    today = week_shown(facts, answer, at)
    return Expectation(
        open_now=answer.allowed,
        read_at=None if answer.allowed else answer.next_seen_at,
        reason=answer.reason,
        status=status_words(answer),
        hours=reading_hours_sentence(parties(facts, today)),
        now=now_sentence(facts, answer),
        promise=facts.inbox_promise,
        answer=answer_sentence(facts),
        reply=reply_sentence(facts),
        crisis=crisis_sentences(facts, today),
    )


def held_sentence(name, until, client_zone):
    """For a held message: when it will be read, in the client's zone."""
    day, at_time = day_and_time(until, client_zone)
    return _("Your message is waiting for %(name)s's reading hours. It will be read from "
             "%(day)s %(at_time)s your time.") % {"name": name, "day": day, "at_time": at_time}


def not_sent_sentence(reason, name):
    """For an urgent text the closed inbox refused: plainly, it went nowhere, and who will
    know that it was tried."""
    if reason == "not_signed":
        text = _("Your message could not be sent, because messages are not open until you "
                 "sign your agreement. It was not stored.")
    else:
        text = _("Your message could not be sent, because your agreement does not include "
                 "messages. It was not stored.")
    return text + " " + _("%(name)s will see that you tried to reach them, without your "
                          "words, when they next read messages.") % {"name": name}


def closed_sentence(reason, name):
    """Why the inbox is closed, without blame."""
    if reason == "no_agreement":
        return _("%(name)s has not shared an agreement with you yet. Messages open once you "
                 "both have one.") % {"name": name}
    if reason == "not_signed":
        return _("Messages open once you sign your agreement with %(name)s.") % {"name": name}
    return _("Your agreement with %(name)s does not include messages between sessions. Keep "
             "a note of what comes up and bring it to your next session.") % {"name": name}


# --- the database side ------------------------------------------------------------------------

def facts_for(client, agreement):
    """InboxFacts for `client` under `agreement` (None: facts about the clinician only)."""
    clinician = agreement.clinician if agreement is not None else client.clinician
    known = {}
    if agreement is not None:
        known = {"inbox_promise": agreement.inbox_promise or "",
                 "response_days": agreement.inbox_response_business_days,
                 "may_not_reply": agreement.inbox_may_not_reply,
                 "crisis_route": agreement.crisis_route,
                 "crisis_hours": tuple(agreement.crisis_hours or ()),
                 "self_help_open": agreement.self_help_open}
    return InboxFacts(clinician_name=clinician.display_name, pronoun=clinician.pronoun,
                      clinician_zone=clinician.time_zone, client_zone=client.time_zone,
                      office_hours=tuple(availability.windows_for(clinician)), **known)


def expectation_for(client, agreement, answer, at=None):
    return expectation(facts_for(client, agreement), answer, at or timezone.now())
