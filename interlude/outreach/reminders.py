"""Appointment reminders: which ones, on which channels, when, and with what words.

Which: the client's own reminder rules, else the practice's defaults, else 48 hours and 2
hours before. On which channels: those the client prefers (in-app and email when they have not
said), less the ones that cannot reach them (SMS without a phone number, a channel the
practice has not enabled), each skipped with a warning in the log that names no person.
Reminders are automated messages, so they go only to a client whose signed agreement opens
automated messages (the agreement otherwise tells them to keep a note of their appointments).

When: `minutes` before the start, moved out of the client's quiet hours. Quiet hours run from
`quiet_start` to `quiet_end` in the client's zone and may wrap midnight (21:00-08:00). Each
night is one stretch of real time, built the way the availability engine builds office hours
(a skipped clock time counts from the end of the gap, a repeated one at its first occurrence),
so a stretch is an hour shorter or longer on the nights the clocks change. The stretch is open:
its first and last instants (21:00 and 08:00 sharp) are not quiet. A reminder due inside a
stretch goes at its end if that is still before the appointment, else at its start, which is
earlier than it was due (an 07:30 appointment's two-hour reminder goes at 21:00 the evening
before, not at 08:00 after the appointment began). A reminder whose time has passed is skipped.

With what words: the practice's template for the channel and the client's language (see
templates_text), with the date and time in the client's zone. Minimum necessary: no clinical
detail (no modality, no notes) in any reminder; the address or video link only in-app; email
and in-app carry signed confirm and cancel links, SMS the reply keywords.

`plan_for` is a synchronisation: it makes the wanted reminders pending and withdraws pending
reminders of the appointment that are no longer wanted, so it can run again after any change
(a rule added, an agreement signed) without sending anything twice; the idempotency key names
the appointment, its sequence, the rule and the channel.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from interlude.accounts import access
from interlude.agreements import availability
from interlude.audit.service import record

from . import links, outbox, templates_text
from .channels import ChannelUnavailable, require_channel
from .models import Appointment, Delivery, ReminderRule
from .recurrence import quiet_stretch

logger = logging.getLogger(__name__)

DEFAULT_MINUTES = (2880, 120)
DEFAULT_CHANNELS = ("in_app", "email")
MIN_MINUTES = 10
MAX_MINUTES = 14 * 24 * 60
MAX_RULES = 5
ACTIVE = (Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED)

KIND_WORDS = {
    "video": pgettext_lazy("appointment kind in a sentence", "video"),
    "phone": pgettext_lazy("appointment kind in a sentence", "phone"),
    "in_person": pgettext_lazy("appointment kind in a sentence", "in-person"),
}
# The keywords the SMS webhook (sms_inbound.py) acts on; C and X rather than words that
# carriers treat as opting out.
REPLY_KEYWORDS_TEXT = gettext_lazy("Reply C to confirm or X to cancel.")


# --- rules ------------------------------------------------------------------------------------

def rules_for(client):
    """Minutes before each appointment, largest first."""
    own = list(ReminderRule.objects.filter(client=client)
               .values_list("minutes_before", flat=True))
    if own:
        return sorted(own, reverse=True)
    defaults = list(ReminderRule.objects.filter(practice_id=client.practice_id,
                                                client__isnull=True)
                    .values_list("minutes_before", flat=True))
    return sorted(defaults, reverse=True) or list(DEFAULT_MINUTES)


def _check_rule_actor(actor, practice, client):
    if not actor.is_authenticated or actor.practice_id != practice.pk:
        raise PermissionDenied("Not this practice's staff.")
    if client is None:
        if not actor.is_admin:
            raise PermissionDenied("Only practice admins set the default reminders.")
        return
    access.get_client(actor, client.pk)  # 404 for a client out of reach
    if not (actor.is_admin or client.clinician.user_id == actor.pk):
        raise PermissionDenied("Only the client's clinician sets their reminders.")


def _rules_of(practice, client):
    rows = ReminderRule.objects.filter(practice=practice)
    return rows.filter(client=client) if client else rows.filter(client__isnull=True)


def add_rule(actor, practice, minutes, *, client=None, request=None):
    """A reminder `minutes` before each appointment, for one client or as the practice default."""
    _check_rule_actor(actor, practice, client)
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValidationError(_("A reminder goes between 10 minutes and 14 days before the "
                                "appointment."))
    with transaction.atomic():
        existing = _rules_of(practice, client)
        if existing.filter(minutes_before=minutes).exists():
            raise ValidationError(_("There is already a reminder at that time."))
        if existing.count() >= MAX_RULES:
            raise ValidationError(_("At most %(n)s reminders per appointment.") % {"n": MAX_RULES})
        rule = ReminderRule.objects.create(practice=practice, client=client,
                                           minutes_before=minutes)
        record(actor, "create", "ReminderRule", rule.pk, request=request, practice=practice,
               client=client, detail={"minutes_before": minutes, "default": client is None})
        replan_upcoming(practice, client)
    return rule


def remove_rule(actor, rule, *, request=None):
    client = rule.client
    _check_rule_actor(actor, rule.practice, client)
    with transaction.atomic():
        record(actor, "delete", "ReminderRule", rule.pk, request=request,
               practice=rule.practice_id, client=client,
               detail={"minutes_before": rule.minutes_before, "default": client is None})
        rule.delete()
        replan_upcoming(rule.practice, client)


def replan_upcoming(practice, client=None):
    """Plan again the reminders of upcoming appointments that a rule change touches."""
    rows = Appointment.objects.filter(practice=practice, status__in=ACTIVE,
                                      start__gt=timezone.now())
    if client is not None:
        rows = rows.filter(client=client)
    else:
        rows = rows.exclude(client__reminder_rules__isnull=False)
    for appointment in rows.select_related("client", "client__user", "clinician", "practice"):
        plan_for(appointment)


# --- quiet hours ------------------------------------------------------------------------------

def out_of_quiet_hours(due, client, appointment_start):
    """When a reminder due at `due` may go: never inside quiet hours, never after the start."""
    stretch = quiet_stretch(due, client.time_zone, client.quiet_start, client.quiet_end)
    if stretch is None:
        return due
    begins, ends = stretch
    return ends if ends < appointment_start else begins


# --- channels ---------------------------------------------------------------------------------

def address_for(client, channel):
    return {"in_app": "", "email": client.user.email, "sms": client.phone}[channel]


def _unreachable(appointment, channel):
    """Why `channel` cannot carry this client's reminders, or "" when it can."""
    client = appointment.client
    if channel == "sms" and not client.phone:
        return "the client has no phone number"
    if channel == "email" and not client.user.email:
        return "the client has no email address"
    try:
        require_channel(appointment.practice, channel)
    except ChannelUnavailable:
        return "the practice has not enabled it"
    return ""


def channels_for(appointment):
    """The client's channels that can reach them, in their order of preference."""
    client = appointment.client
    known = templates_text.CHANNEL_NAMES
    wanted = [c for c in (client.preferred_channels or DEFAULT_CHANNELS) if c in known]
    usable = []
    for channel in dict.fromkeys(wanted):
        reason = _unreachable(appointment, channel)
        if reason:
            logger.warning("Reminders for appointment %s skip %s: %s", appointment.pk,
                           channel, reason)
        else:
            usable.append(channel)
    return usable


# --- words ------------------------------------------------------------------------------------

def first_name(client):
    name = (client.display_name or client.user.full_name or "").strip()
    return name.split()[0] if name else ""


def local_words(instant, zone, language):
    """(date, time) of an instant in a zone and a language, e.g. ("lunes 2 de marzo", "9:00")."""
    local = instant.astimezone(ZoneInfo(zone))
    with translation.override(language):
        return (date_format(local, pgettext("weekday, day and month", "l j F")),
                date_format(local, "G:i"))


def kind_word(kind, language):
    with translation.override(language):
        return str(KIND_WORDS.get(kind, kind))


def reminder_context(appointment, channel, language):
    client = appointment.client
    day, clock = local_words(appointment.start, client.time_zone, language)
    with translation.override(language):
        context = {"client_first_name": first_name(client),
                   "clinician_name": appointment.clinician.display_name,
                   "practice_name": appointment.practice.name, "date": day, "time": clock,
                   "kind": kind_word(appointment.kind, language)}
        if channel == "sms":
            context["reply_keywords"] = str(REPLY_KEYWORDS_TEXT)
    if channel in ("in_app", "email"):
        context["confirm_url"] = links.link_url(appointment, "confirm")
        context["cancel_url"] = links.link_url(appointment, "cancel")
    if channel == "in_app":
        context["location"] = appointment.location or "—"
    return context


# --- planning ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Planned:
    key: str
    minutes: int
    channel: str
    due_at: object


def reminder_key(appointment, minutes, channel):
    return f"reminder:{appointment.pk}:{appointment.sequence}:{minutes}:{channel}"


def agreement_allows(client, at):
    return availability.check(client, "automated", at).allowed


def wanted_reminders(appointment, now):
    """Each reminder the appointment should have, with its time, in no particular order."""
    if appointment.status not in ACTIVE or appointment.start <= now:
        return []
    if not agreement_allows(appointment.client, now):
        logger.info("Appointment %s: the agreement does not open automated messages",
                    appointment.pk)
        return []
    channels = channels_for(appointment)
    planned = []
    for minutes in rules_for(appointment.client):
        due = out_of_quiet_hours(appointment.start - timedelta(minutes=minutes),
                                 appointment.client, appointment.start)
        if due <= now:
            continue
        planned += [Planned(reminder_key(appointment, minutes, channel), minutes, channel, due)
                    for channel in channels]
    return planned


def _enqueue(appointment, plan):
    client = appointment.client
    language = client.user.preferred_language
    words = templates_text.render(appointment.practice, "reminder", plan.channel, language,
                                  reminder_context(appointment, plan.channel, language))
    try:
        return outbox.enqueue(
            practice=appointment.practice, channel=plan.channel, kind="reminder",
            idempotency_key=plan.key, due_at=plan.due_at, recipient=client.user,
            address=address_for(client, plan.channel), subject=words.subject, body=words.body,
            ref=("appointment", appointment.pk))
    except ChannelUnavailable:
        logger.warning("Reminders for appointment %s skip %s: channel unavailable",
                       appointment.pk, plan.channel)
        return None


def _refresh(row, plan):
    """A row planned before: bring its time up to date, or revive it if it was withdrawn
    (a rule removed and added again). Sent and failed rows are left alone."""
    if row.state == Delivery.State.CANCELLED:
        Delivery.objects.filter(pk=row.pk, state=Delivery.State.CANCELLED).update(
            state=Delivery.State.PENDING, due_at=plan.due_at)
    elif row.state == Delivery.State.PENDING and row.due_at != plan.due_at:
        Delivery.objects.filter(pk=row.pk, state=Delivery.State.PENDING).update(
            due_at=plan.due_at)


def plan_for(appointment, now=None):
    """Make the appointment's reminders match the rules; returns the keys now wanted."""
    now = now or timezone.now()
    wanted = wanted_reminders(appointment, now)
    keys = {plan.key for plan in wanted}
    with transaction.atomic():
        rows = Delivery.objects.filter(ref_type="appointment", ref_id=str(appointment.pk),
                                       kind="reminder")
        existing = {row.idempotency_key: row for row in rows}
        stale = [row.pk for key, row in existing.items()
                 if key not in keys and row.state == Delivery.State.PENDING]
        if stale:
            Delivery.objects.filter(pk__in=stale, state=Delivery.State.PENDING).update(
                state=Delivery.State.CANCELLED)
        for plan in wanted:
            if plan.key in existing:
                _refresh(existing[plan.key], plan)
            else:
                _enqueue(appointment, plan)
    return sorted(keys)


def plan_upcoming(now, client=None):
    """Keep the reminders of the coming fortnight in step with what changed since the
    appointments were made (an agreement signed or replaced, quiet hours). Idempotent."""
    rows = (Appointment.objects.filter(status__in=ACTIVE, start__gt=now,
                                       start__lte=now + timedelta(minutes=MAX_MINUTES))
            .select_related("client", "client__user", "clinician", "practice"))
    if client is not None:
        rows = rows.filter(client=client)
    return sum(len(plan_for(appointment, now)) for appointment in rows)


def replan_client_after_commit(client):
    """Called by the agreement and profile rules: once their change commits, the client's
    reminders follow it (a new unsigned version withholds them; signing brings them back)."""
    transaction.on_commit(lambda: plan_upcoming(timezone.now(), client=client))
