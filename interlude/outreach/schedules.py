"""Schedules: messages a clinician sets to reach a client by the calendar (an RFC 5545 rule in
the client's zone) or before each appointment ("2 days before").

The rules
---------
`create_schedule`, `edit_schedule`, `pause_schedule`, `resume_schedule` and `end_schedule` are
each one transaction with its audit event. Only the client's own clinician changes a client's
schedules; practice admins may read them.

Every change that alters what will be sent (an edit, a resume) bumps the schedule's `version`,
which is part of every idempotency key, and withdraws the pending deliveries of the old version
at once. So an edited schedule never sends its old wording or old times, and a resumed one
never brings back what was withdrawn while it was paused. Pausing and ending withdraw the
pending deliveries at once; nothing further is planned.

Planning
--------
`plan_due_occurrences(now)` is a planner (see planning.py; the dispatcher runs it about every
30 seconds). For each active schedule it puts into the outbox every delivery due within
`HORIZON`, and keeps what is already there in step with the schedule, the client and their
appointments: it withdraws pending deliveries no longer wanted (an appointment moved, which
bumps its sequence, cancelled or past; quiet hours changed) and brings back a withdrawn one that
is wanted again (an agreement closed and then signed again). It is idempotent: running it twice,
or in two dispatchers at once, plans each message once, because the keys name the message:

* by the calendar: ``schedule:{pk}:v{version}:{instant}``, the UTC instant the message goes
  (ISO 8601), that is the occurrence moved out of quiet hours;
* before appointments: ``schedule:{pk}:v{version}:appt:{appointment pk}:{sequence}``.

It works in batches of `BATCH_SIZE` schedules, each in a fixed number of queries whatever the
batch holds (a few more only for rows it actually adds or changes).

Quiet hours
-----------
Nothing from a schedule reaches a client inside their quiet hours (`Client.quiet_start` to
`quiet_end`, local times that may wrap midnight; see `recurrence.quiet_stretch`). An occurrence
inside them moves to their end; several occurrences of one quiet night (an hourly rule) move to
the same instant and so become one message, not a burst at 08:00. A message before an
appointment that would then arrive at or after the appointment's start goes when the quiet
hours began instead (the evening before), like appointment reminders. A message whose time has
passed is not planned late.

When nothing can be planned
---------------------------
The client's account must be open, their agreement signed and open to automated messages, the
practice must have the schedule's channel, and the client an address on it. Otherwise nothing
is planned for that schedule, its pending deliveries are withdrawn, and the reason is kept in
`last_problem` (a code, never clinical text) for the schedule page; the log names the
schedule, never the person.

The wording: the message goes as the clinician wrote it on the channel they chose (email and
text messages travel outside Interlude, which the form says); the subject is the practice's
wording for scheduled messages.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interlude.agreements import availability
from interlude.agreements.models import ConnectionAgreement
from interlude.audit.service import record

from . import outbox, recurrence, templates_text
from .channels import ChannelUnavailable, enabled_on, sms_configured
from .models import CHANNELS, Appointment, Delivery, PracticeChannels, Schedule

logger = logging.getLogger(__name__)

HORIZON = timedelta(hours=48)
# Quiet hours move a message by less than a day, so occurrences this far back may still have a
# pending delivery that is wanted.
LOOKBACK = timedelta(days=1)
BATCH_SIZE = 200
KIND = "scheduled_message"
REF_TYPE = "schedule"
MAX_NAME = 120
MAX_BODY = 1000
MIN_MINUTES_BEFORE = 10
MAX_MINUTES_BEFORE = 30 * 24 * 60
CHANNEL_NAMES = tuple(name for name, _label in CHANNELS)
ACTIVE_APPOINTMENTS = (Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED)

PROBLEMS = {
    "client_inactive": gettext_lazy("The client's account is closed, so nothing is planned."),
    "agreement:no_agreement": gettext_lazy(
        "The client has no connection agreement, so no automated message is planned."),
    "agreement:not_signed": gettext_lazy(
        "The client has not signed the current agreement, so no automated message is planned."),
    "agreement:channel_closed": gettext_lazy(
        "The client's agreement does not open automated messages, so none is planned."),
    "channel_off:email": gettext_lazy("The practice has not enabled email."),
    "channel_off:sms": gettext_lazy("The practice has not enabled text messages."),
    "channel_unconfigured:sms": gettext_lazy(
        "Text messages are enabled but the server has no SMS account."),
    "no_address:email": gettext_lazy("The client has no email address."),
    "no_address:sms": gettext_lazy("The client has no phone number for text messages."),
    "channel_unavailable:in_app": gettext_lazy("The in-app channel is not available."),
    "channel_unavailable:email": gettext_lazy("The practice's email channel is not available."),
    "channel_unavailable:sms": gettext_lazy(
        "The practice's text-message channel is not available."),
}


def problem_text(code):
    """A stored problem code in words (for the schedule page)."""
    if not code:
        return ""
    return str(PROBLEMS.get(code, gettext_lazy("Planning stopped: %(code)s"))) % {"code": code}


# --- who may change a schedule ----------------------------------------------------------------

def may_change(user, client):
    return bool(user.is_authenticated and user.is_active
                and client.clinician.user_id == user.pk)


def _require_clinician(actor, client):
    if not may_change(actor, client):
        raise PermissionDenied("Only the client's clinician changes their schedules.")


# --- checking what a schedule says ------------------------------------------------------------

def practice_switches(practice_id):
    """The practice's channel switches without creating a row (defaults: email on, SMS off)."""
    return (PracticeChannels.objects.filter(practice_id=practice_id).first()
            or PracticeChannels(practice_id=practice_id))


def channel_problem(client, channel, switches):
    """Why `channel` cannot reach `client` (a problem code), or ""."""
    if channel == "in_app":
        return ""
    if not enabled_on(switches, channel):
        return f"channel_off:{channel}"
    if channel == "sms" and not sms_configured():
        return "channel_unconfigured:sms"
    address = client.phone if channel == "sms" else client.user.email
    return "" if address else f"no_address:{channel}"


def _text_errors(name, channel, body):
    errors = {}
    if not name:
        errors["name"] = _("Give the schedule a name.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("At most %(n)s characters.") % {"n": MAX_NAME}
    if channel not in CHANNEL_NAMES:
        errors["channel"] = _("Choose how to send it.")
    longest = templates_text.SMS_MAX_LENGTH if channel == "sms" else MAX_BODY
    if not body:
        errors["body"] = _("Write the message.")
    elif len(body) > longest:
        errors["body"] = _("At most %(n)s characters on this channel.") % {"n": longest}
    return errors


def _channel_errors(client, channel):
    if channel not in CHANNEL_NAMES:
        return {}
    code = channel_problem(client, channel, practice_switches(client.practice_id))
    return {"channel": problem_text(code)} if code else {}


def _local_start(value, tz_name):
    """DTSTART as a naive local wall time, to the minute; an aware value is read in the
    client's zone."""
    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo(tz_name)).replace(tzinfo=None)
    return value.replace(second=0, microsecond=0)


def _timing(client, rrule, dtstart_local, minutes):
    """(rrule text, naive dtstart, minutes) checked; raises ValidationError."""
    if bool(rrule) == (minutes is not None):
        raise ValidationError({NON_FIELD_ERRORS: _(
            "Choose either a repeating schedule or a time before each appointment.")})
    if minutes is not None:
        if not MIN_MINUTES_BEFORE <= minutes <= MAX_MINUTES_BEFORE:
            raise ValidationError({"minutes_before_appointment": _(
                "Between 10 minutes and 30 days before the appointment.")})
        return "", None, minutes
    if dtstart_local is None:
        raise ValidationError({"dtstart_local": _("Say when the schedule starts.")})
    start = _local_start(dtstart_local, client.time_zone)
    try:
        rule = recurrence.parse_rule(rrule, start)
    except ValueError as error:
        raise ValidationError({"rrule": str(error)}) from error
    return rule.text, start, None


def _checked(client, name, channel, body, rrule, dtstart_local, minutes):
    name, body = (name or "").strip(), (body or "").strip()
    errors = {**_channel_errors(client, channel), **_text_errors(name, channel, body)}
    try:
        timing = _timing(client, rrule, dtstart_local, minutes)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    rule_text, start, minutes = timing
    return {"name": name, "channel": channel, "body": body, "rrule": rule_text,
            # Stored as the wall-clock reading itself (labelled UTC), never converted.
            "dtstart_local": start.replace(tzinfo=UTC) if start else None,
            "minutes_before_appointment": minutes}


def stored_start(schedule):
    """The schedule's DTSTART as the naive local wall time it was given."""
    value = schedule.dtstart_local
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _timing_word(schedule):
    return "appointment" if schedule.minutes_before_appointment is not None else "recurrence"


# --- the rules --------------------------------------------------------------------------------

def _locked(schedule):
    return (Schedule.objects.select_for_update(of=("self",))
            .select_related("client", "client__user", "client__clinician", "practice")
            .get(pk=schedule.pk))


def create_schedule(actor, client, *, name, channel, body, rrule=None, dtstart_local=None,
                    minutes_before_appointment=None, request=None):
    """A new active schedule for `client`, planned at once; raises ValidationError."""
    _require_clinician(actor, client)
    fields = _checked(client, name, channel, body, rrule, dtstart_local,
                      minutes_before_appointment)
    with transaction.atomic():
        schedule = Schedule.objects.create(practice_id=client.practice_id, client=client,
                                           created_by=actor, **fields)
        record(actor, "create", "Schedule", schedule.pk, request=request, client=client,
               detail={"version": 1, "channel": channel, "timing": _timing_word(schedule)})
        _plan_now(_locked(schedule))
    return schedule


def edit_schedule(actor, schedule, *, name, channel, body, rrule=None, dtstart_local=None,
                  minutes_before_appointment=None, request=None):
    """Change a schedule; its future deliveries follow the new version."""
    client = schedule.client
    _require_clinician(actor, client)
    fields = _checked(client, name, channel, body, rrule, dtstart_local,
                      minutes_before_appointment)
    with transaction.atomic():
        schedule = _locked(schedule)
        if schedule.status == Schedule.Status.ENDED:
            raise ValidationError(_("This schedule has ended; start a new one instead."))
        changed = sorted(key for key, value in fields.items()
                         if getattr(schedule, key) != value)
        for key, value in fields.items():
            setattr(schedule, key, value)
        schedule.version += 1
        schedule.save()
        withdrawn = outbox.cancel_pending(REF_TYPE, schedule.pk)
        record(actor, "update", "Schedule", schedule.pk, request=request, client=client,
               detail={"version": schedule.version, "fields": changed, "withdrawn": withdrawn})
        if schedule.status == Schedule.Status.ACTIVE:
            _plan_now(schedule)
    return schedule


def _change_status(actor, schedule, allowed_from, status, action, request):
    _require_clinician(actor, schedule.client)
    with transaction.atomic():
        schedule = _locked(schedule)
        if schedule.status not in allowed_from:
            raise ValidationError(_("This schedule is %(status)s.") % {
                "status": schedule.get_status_display().lower()})
        schedule.status = status
        if status == Schedule.Status.ACTIVE:
            schedule.version += 1  # so nothing withdrawn before comes back
        schedule.save(update_fields=["status", "version"])
        withdrawn = outbox.cancel_pending(REF_TYPE, schedule.pk)
        record(actor, action, "Schedule", schedule.pk, request=request,
               client=schedule.client_id,
               detail={"version": schedule.version, "withdrawn": withdrawn})
        if status == Schedule.Status.ACTIVE:
            _plan_now(schedule)
    return schedule


def pause_schedule(actor, schedule, request=None):
    return _change_status(actor, schedule, (Schedule.Status.ACTIVE,), Schedule.Status.PAUSED,
                          "pause", request)


def resume_schedule(actor, schedule, request=None):
    return _change_status(actor, schedule, (Schedule.Status.PAUSED,), Schedule.Status.ACTIVE,
                          "resume", request)


def end_schedule(actor, schedule, request=None):
    return _change_status(actor, schedule, (Schedule.Status.ACTIVE, Schedule.Status.PAUSED),
                          Schedule.Status.ENDED, "end", request)


# --- what a schedule wants --------------------------------------------------------------------

@dataclass(frozen=True)
class Wanted:
    key: str
    due: datetime
    # False for a message whose time has passed: kept if already planned, never added late.
    new: bool


def key_prefix(schedule):
    return f"schedule:{schedule.pk}:v{schedule.version}:"


def _instant_key(schedule, due):
    return key_prefix(schedule) + due.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _appointment_key(schedule, appointment):
    return key_prefix(schedule) + f"appt:{appointment.pk}:{appointment.sequence}"


def by_the_calendar(schedule, after, before, limit=None):
    """(occurrence, delivery instant) pairs of a recurring schedule in [after, before)."""
    client = schedule.client
    found = recurrence.occurrences(schedule.rrule, stored_start(schedule), client.time_zone,
                                   after, before, limit=limit)
    return [(occurrence, recurrence.after_quiet_hours(
        occurrence, client.time_zone, client.quiet_start, client.quiet_end))
        for occurrence in found]


def before_appointment(schedule, appointment):
    """When the message before `appointment` goes: out of quiet hours, before the start."""
    client = schedule.client
    due = appointment.start - timedelta(minutes=schedule.minutes_before_appointment)
    stretch = recurrence.quiet_stretch(due, client.time_zone, client.quiet_start,
                                       client.quiet_end)
    if stretch is None:
        return due
    begins, ends = stretch
    return ends if ends < appointment.start else begins


def _wanted_by_calendar(schedule, now):
    wanted = {}
    for occurrence, due in by_the_calendar(schedule, now - LOOKBACK, now + HORIZON):
        key = _instant_key(schedule, due)
        earlier = wanted.get(key)
        wanted[key] = Wanted(key, due, occurrence >= now or (earlier is not None and earlier.new))
    return wanted


def _wanted_before_appointments(schedule, appointments, now):
    wanted = {}
    lead = timedelta(minutes=schedule.minutes_before_appointment)
    for appointment in appointments:
        if appointment.start - lead >= now + HORIZON:
            continue
        due = before_appointment(schedule, appointment)
        key = _appointment_key(schedule, appointment)
        wanted[key] = Wanted(key, due, due > now)
    return wanted


# --- planning ---------------------------------------------------------------------------------

@dataclass
class Batch:
    """What planning a batch of schedules needs, loaded in a fixed number of queries."""

    now: datetime
    gates: dict
    switches: dict
    appointments: dict
    problems: dict = field(default_factory=dict)
    create: list = field(default_factory=list)
    revive: list = field(default_factory=list)
    move: list = field(default_factory=list)
    cancel: list = field(default_factory=list)


def _automated_gates(client_ids, now):
    """client id -> may automated messages reach this client now (one query)."""
    newest = (ConnectionAgreement.objects.filter(client_id=OuterRef("client_id"))
              .order_by("-version").values("version")[:1])
    # The notes are clinical text that a yes-or-no answer has no reason to decrypt.
    rows = (ConnectionAgreement.objects.filter(client_id__in=client_ids,
                                               version=Subquery(newest))
            .select_related("signature").defer("notes"))
    facts = {row.client_id: availability.agreement_facts(row) for row in rows}
    return {client_id: availability.decide("automated", facts.get(client_id,
                                                                  availability.NO_AGREEMENT),
                                           [], [], "UTC", [], now)
            for client_id in client_ids}


def _switches(practice_ids):
    rows = {row.practice_id: row
            for row in PracticeChannels.objects.filter(practice_id__in=practice_ids)}
    return {pk: rows.get(pk) or PracticeChannels(practice_id=pk) for pk in practice_ids}


def upcoming_appointments(client_ids, now, until):
    """client id -> their scheduled or confirmed appointments starting in (now, until)."""
    rows = (Appointment.objects.filter(client_id__in=client_ids, status__in=ACTIVE_APPOINTMENTS,
                                       start__gt=now, start__lt=until)
            .only("pk", "client_id", "start", "sequence").order_by("start"))
    found = {}
    for row in rows:
        found.setdefault(row.client_id, []).append(row)
    return found


def _load(schedules, now):
    client_ids = {s.client_id for s in schedules}
    relative = [s.minutes_before_appointment for s in schedules
                if s.minutes_before_appointment is not None]
    appointments = {}
    if relative:
        until = now + HORIZON + timedelta(minutes=max(relative))
        appointments = upcoming_appointments(
            {s.client_id for s in schedules if s.minutes_before_appointment is not None},
            now, until)
    return Batch(now=now, gates=_automated_gates(client_ids, now),
                 switches=_switches({s.practice_id for s in schedules}),
                 appointments=appointments)


def _gate(schedule, batch):
    client = schedule.client
    if not (client.is_active and client.user.is_active):
        return "client_inactive"
    gate = batch.gates[schedule.client_id]
    if not gate.allowed:
        return f"agreement:{gate.reason}"
    return channel_problem(schedule.client, schedule.channel, batch.switches[schedule.practice_id])


def _wanted(schedule, batch):
    if schedule.minutes_before_appointment is not None:
        return _wanted_before_appointments(
            schedule, batch.appointments.get(schedule.client_id, []), batch.now)
    return _wanted_by_calendar(schedule, batch.now)


def _existing(schedules, now):
    """schedule pk -> {key: delivery} for the rows planning may touch (one query)."""
    rows = (Delivery.objects.filter(ref_type=REF_TYPE, kind=KIND,
                                    ref_id__in=[str(s.pk) for s in schedules])
            .filter(Q(state=Delivery.State.PENDING) | Q(due_at__gte=now - 2 * LOOKBACK))
            .only("pk", "ref_id", "idempotency_key", "state", "due_at"))
    found = {}
    for row in rows:
        found.setdefault(int(row.ref_id), {})[row.idempotency_key] = row
    return found


def _valid_appointments(schedule, batch):
    return {a.pk: a.sequence for a in batch.appointments.get(schedule.client_id, [])}


def _unwanted(schedule, key, row, wanted, batch):
    """Whether a pending row of this schedule should be withdrawn."""
    if key in wanted:
        return False
    if batch.problems.get(schedule.pk) or not key.startswith(key_prefix(schedule)):
        return True
    rest = key[len(key_prefix(schedule)):]
    if rest.startswith("appt:"):
        _appt, appointment_pk, sequence = rest.split(":")
        return _valid_appointments(schedule, batch).get(int(appointment_pk)) != int(sequence)
    # By the calendar: a row already due is the dispatcher's; a later one that is not wanted
    # was planned under other quiet hours.
    return row.due_at >= batch.now


def _reconcile(schedule, wanted, rows, batch):
    for plan in wanted.values():
        if not plan.new:
            continue
        row = rows.get(plan.key)
        if row is None:
            batch.create.append((schedule, plan))
        elif row.state == Delivery.State.CANCELLED:
            batch.revive.append((row.pk, plan.due))
        elif row.state == Delivery.State.PENDING and row.due_at != plan.due:
            batch.move.append((row.pk, plan.due))
    for key, row in rows.items():
        if row.state == Delivery.State.PENDING and _unwanted(schedule, key, row, wanted, batch):
            batch.cancel.append(row.pk)


def _subject(schedule):
    client = schedule.client
    words = templates_text.render(
        schedule.practice, KIND, schedule.channel, client.user.preferred_language,
        {"practice_name": schedule.practice.name,
         "client_first_name": (client.display_name or "").split(" ")[0],
         "clinician_name": "", "site_url": "", "message": ""})
    return words.subject


def _enqueue(schedule, plan):
    client = schedule.client
    return outbox.enqueue(
        practice=schedule.practice, channel=schedule.channel, kind=KIND,
        idempotency_key=plan.key, due_at=plan.due, recipient=client.user,
        address={"email": client.user.email, "sms": client.phone}.get(schedule.channel, ""),
        subject=_subject(schedule), body=schedule.body, ref=(REF_TYPE, schedule.pk))


def _create(batch):
    created, refused = 0, set()
    for schedule, plan in batch.create:
        if schedule.pk in refused:
            continue
        try:
            _enqueue(schedule, plan)
        except ChannelUnavailable:
            refused.add(schedule.pk)
            batch.problems[schedule.pk] = f"channel_unavailable:{schedule.channel}"
            continue
        created += 1
    return created


def _apply(batch):
    pending, cancelled = Delivery.State.PENDING, Delivery.State.CANCELLED
    if batch.cancel:
        Delivery.objects.filter(pk__in=batch.cancel, state=pending).update(state=cancelled)
    revived = 0
    for pk, due in batch.revive:
        revived += Delivery.objects.filter(pk=pk, state=cancelled).update(state=pending,
                                                                          due_at=due)
    for pk, due in batch.move:
        Delivery.objects.filter(pk=pk, state=pending).update(due_at=due)
    return revived + _create(batch)


def _save_problems(schedules, batch):
    changed = []
    for schedule in schedules:
        problem = batch.problems.get(schedule.pk, "")
        if schedule.last_problem == problem:
            continue
        if problem:
            logger.warning("Schedule %s is not planned: %s", schedule.pk, problem)
        schedule.last_problem = problem
        schedule.last_problem_at = batch.now if problem else None
        changed.append(schedule)
    if changed:
        Schedule.objects.bulk_update(changed, ["last_problem", "last_problem_at"])


def _plan_batch(schedules, now):
    """Plan a batch of locked, active schedules; returns how many deliveries were added."""
    batch = _load(schedules, now)
    wanted = {}
    for schedule in schedules:
        batch.problems[schedule.pk] = _gate(schedule, batch)
        wanted[schedule.pk] = {} if batch.problems[schedule.pk] else _wanted(schedule, batch)
    rows = _existing(schedules, now)
    for schedule in schedules:
        _reconcile(schedule, wanted[schedule.pk], rows.get(schedule.pk, {}), batch)
    planned = _apply(batch)
    _save_problems(schedules, batch)
    return planned


def _plan_now(schedule):
    """Plan one schedule inside the caller's transaction (after a create, edit or resume)."""
    return _plan_batch([schedule], timezone.now())


def _active_batch(after_pk):
    # The message text is decrypted only for a schedule that has a row to add.
    return list(Schedule.objects.select_for_update(of=("self",))
                .filter(status=Schedule.Status.ACTIVE, pk__gt=after_pk)
                .select_related("client", "client__user", "practice").defer("body")
                .order_by("pk")[:BATCH_SIZE])


def plan_due_occurrences(now):
    """The planner: keep every active schedule's next `HORIZON` of deliveries in the outbox.

    Returns how many deliveries it added (or brought back)."""
    now = now.astimezone(UTC)
    planned, after_pk = 0, 0
    while True:
        # One transaction per batch, holding its schedules' rows, so an edit or a pause waits
        # for the batch rather than racing it.
        with transaction.atomic():
            schedules = _active_batch(after_pk)
            if not schedules:
                break
            planned += _plan_batch(schedules, now)
        after_pk = schedules[-1].pk
        if len(schedules) < BATCH_SIZE:
            break
    return planned
