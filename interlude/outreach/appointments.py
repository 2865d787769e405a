"""The rules for appointments: creating, moving, cancelling and confirming them.

Pages, the signed email links, the SMS webhook and the API all call these functions. Each is
one transaction with its audit event, and it keeps the outbox in step: creating or moving an
appointment plans its reminders (withdrawing those for the old time), cancelling withdraws
them and tells the clinician in their office hours.

Who may do what: the client's own clinician creates, moves and cancels; the client confirms and
cancels their own. Anybody else gets 404, as for every record out of reach. A client may
cancel at short notice; the cancellation is recorded as late (the practice's policy on late
cancellations is its own business).
"""

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from interlude.accounts import access
from interlude.accounts.models import Clinician
from interlude.agreements import availability
from interlude.audit.service import record
from interlude.inbox import agenda

from . import outbox, reminders, templates_text
from .channels import ChannelUnavailable
from .models import Appointment

logger = logging.getLogger(__name__)

ACTIVE = reminders.ACTIVE
VIA = ("page", "email_link", "sms", "api")
LATE_CANCELLATION = timedelta(hours=24)
LONGEST = timedelta(hours=8)


# --- who is asking ----------------------------------------------------------------------------

def _clinician_of(actor, client):
    """The clinician creating an appointment for their own client; refusals otherwise."""
    if not (actor.is_authenticated and actor.is_clinician):
        raise PermissionDenied("Only clinicians make appointments.")
    client = access.get_client(actor, client.pk)  # 404 outside the actor's reach
    if client.clinician.user_id != actor.pk:
        raise PermissionDenied("Only the client's own clinician makes their appointments.")
    return client


def _locked(actor, appointment, *, clinician=False, client=False):
    """The appointment, locked for this transaction, if `actor` is one of the allowed parties."""
    row = (Appointment.objects.select_for_update()
           .select_related("client", "client__user", "clinician", "clinician__user", "practice")
           .filter(pk=appointment.pk).first())
    if row is None or not actor.is_authenticated:
        raise Http404("No such appointment")
    allowed = ((clinician and row.clinician.user_id == actor.pk)
               or (client and row.client.user_id == actor.pk))
    if not allowed:
        raise Http404("No such appointment")
    return row


def _check_via(via):
    if via not in VIA:
        raise ValueError(f"unknown channel {via!r}")


# --- validation -------------------------------------------------------------------------------

def when(instant, zone):
    return dateformat.format(instant.astimezone(ZoneInfo(zone)), "D j M Y, H:i")


def _check_times(start, end, now):
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("appointment times must be timezone-aware")
    errors = {}
    if end <= start:
        errors["end"] = _("The appointment must end after it starts.")
    elif end - start > LONGEST:
        errors["end"] = _("An appointment can last at most 8 hours.")
    if start < now:
        errors["start"] = _("Choose a time that has not passed yet.")
    if errors:
        raise ValidationError(errors)


def _check_free(clinician, start, end, exclude=None):
    """Refuse a time that overlaps one of the clinician's other active appointments."""
    clash = (Appointment.objects.filter(clinician=clinician, status__in=ACTIVE,
                                        start__lt=end, end__gt=start)
             .exclude(pk=exclude).select_related("client").order_by("start").first())
    if clash is not None:
        zone = clinician.time_zone
        raise ValidationError({"start": _(
            "This overlaps your appointment with %(client)s from %(start)s to %(end)s. Choose "
            "another time, or move that appointment first.") % {
            "client": clash.client.display_name, "start": when(clash.start, zone),
            "end": dateformat.format(clash.end.astimezone(ZoneInfo(zone)), "H:i")}})


def _check_details(kind, location):
    if kind not in Appointment.Kind.values:
        raise ValidationError({"kind": _("Choose video, phone or in person.")})
    if len(location or "") > 300:
        raise ValidationError({"location": _("Keep the location under 300 characters.")})


def _lock_clinician(clinician):
    # Two requests booking the same clinician take turns, so the overlap check holds.
    Clinician.objects.select_for_update().filter(pk=clinician.pk).first()


# --- the changes ------------------------------------------------------------------------------

def create_appointment(actor, client, *, start, end, kind, location, request=None):
    client = _clinician_of(actor, client)
    clinician = client.clinician
    _check_details(kind, location)
    with transaction.atomic():
        _lock_clinician(clinician)
        _check_times(start, end, timezone.now())
        _check_free(clinician, start, end)
        appointment = Appointment.objects.create(
            practice_id=client.practice_id, clinician=clinician, client=client, start=start,
            end=end, kind=kind, location=(location or "").strip())
        record(actor, "create", "Appointment", appointment.pk, request=request, client=client,
               detail={"kind": kind, "start": start, "end": end})
        reminders.plan_for(appointment)
        # Messages kept "for next session" while there was none go on this one's agenda.
        agenda.attach_waiting(appointment, actor=actor, request=request)
    return appointment


def move_appointment(actor, appointment, *, start, end, request=None):
    """A new time: earlier reminders and confirmations were for the old one."""
    with transaction.atomic():
        row = _locked(actor, appointment, clinician=True)
        if row.status not in ACTIVE:
            raise ValidationError(_("A cancelled or past appointment cannot be moved."))
        _lock_clinician(row.clinician)
        _check_times(start, end, timezone.now())
        _check_free(row.clinician, start, end, exclude=row.pk)
        old_start = row.start
        row.start, row.end = start, end
        row.sequence += 1
        row.status = Appointment.Status.SCHEDULED
        row.updated_at = timezone.now()
        row.save(update_fields=["start", "end", "sequence", "status", "updated_at"])
        record(actor, "move", "Appointment", row.pk, request=request, client=row.client,
               detail={"sequence": row.sequence, "from": old_start, "start": start, "end": end})
        outbox.cancel_pending("appointment", row.pk, kinds=["reminder"])
        reminders.plan_for(row)
        agenda.settle(row.client_id, row.clinician_id, actor=actor, request=request)
    return row


def cancel_appointment(actor, appointment, *, via="page", request=None):
    """Free the slot, withdraw the reminders, and tell the clinician (unless they cancelled)."""
    _check_via(via)
    now = timezone.now()
    with transaction.atomic():
        row = _locked(actor, appointment, clinician=True, client=True)
        if row.status == Appointment.Status.CANCELLED:
            raise ValidationError(_("This appointment is already cancelled."))
        if row.status not in ACTIVE or row.start <= now:
            raise ValidationError(_("This appointment has already started, so it cannot be "
                                    "cancelled here."))
        by_client = row.client.user_id == actor.pk
        row.status = Appointment.Status.CANCELLED
        row.cancelled_by, row.cancelled_at, row.updated_at = actor, now, now
        row.save(update_fields=["status", "cancelled_by", "cancelled_at", "updated_at"])
        record(actor, "cancel", "Appointment", row.pk, request=request, client=row.client,
               detail={"via": via, "by": "client" if by_client else "clinician",
                       "late": by_client and row.start - now < LATE_CANCELLATION})
        outbox.cancel_pending("appointment", row.pk, kinds=["reminder"])
        agenda.settle(row.client_id, row.clinician_id, actor=actor, request=request)
        if by_client:
            notify_clinician(row, now)
        else:
            notify_client(row, now)
    return row


def confirm_appointment(actor, appointment, *, via="page", request=None):
    """The client says they will come. Confirming twice is harmless."""
    _check_via(via)
    with transaction.atomic():
        row = _locked(actor, appointment, client=True)
        if row.status == Appointment.Status.CANCELLED:
            raise ValidationError(_("This appointment was cancelled, so it cannot be "
                                    "confirmed."))
        if row.status not in ACTIVE or row.start <= timezone.now():
            raise ValidationError(_("This appointment has already started."))
        if row.status == Appointment.Status.CONFIRMED:
            return row
        row.status = Appointment.Status.CONFIRMED
        row.updated_at = timezone.now()
        row.save(update_fields=["status", "updated_at"])
        record(actor, "confirm", "Appointment", row.pk, request=request, client=row.client,
               detail={"via": via})
    return row


# --- telling the clinician --------------------------------------------------------------------

def next_office_hours(clinician, at):
    """The clinician's next office-hours instant at or after `at` (now if they have none)."""
    horizon = at + timedelta(days=availability.HORIZON_DAYS + 2)
    found = availability.next_open_instant(
        availability.windows_for(clinician), clinician.time_zone,
        availability.time_off_for(clinician, at, horizon), at)
    return found or at


def notice_context(appointment, language):
    clinician = appointment.clinician
    day, clock = reminders.local_words(appointment.start, clinician.time_zone, language)
    return {"client_name": appointment.client.display_name,
            "clinician_name": clinician.display_name,
            "practice_name": appointment.practice.name, "date": day, "time": clock,
            "kind": reminders.kind_word(appointment.kind, language),
            "appointments_url": settings.SITE_URL.rstrip("/") + reverse("appointment_list")}


def notify_client(appointment, now):
    """The clinician cancelled: tell the client on their channels, outside their quiet hours
    (the appointment's own time is the latest a notice is still useful)."""
    client = appointment.client
    language = client.user.preferred_language
    due = reminders.out_of_quiet_hours(now, client, appointment.start)
    day, clock = reminders.local_words(appointment.start, client.time_zone, language)
    context = {"client_first_name": reminders.first_name(client),
               "clinician_name": appointment.clinician.display_name,
               "practice_name": appointment.practice.name, "date": day, "time": clock,
               "kind": reminders.kind_word(appointment.kind, language),
               "appointments_url": settings.SITE_URL.rstrip("/") + reverse("my_appointments")}
    for channel in reminders.channels_for(appointment):
        words = templates_text.render(appointment.practice, "cancelled_by_clinician", channel,
                                      language, context)
        outbox.enqueue(practice=appointment.practice, channel=channel,
                       kind="cancelled_by_clinician",
                       idempotency_key=f"appointment:{appointment.pk}:cancelled:client:{channel}",
                       due_at=due, recipient=client.user,
                       address=reminders.address_for(client, channel),
                       subject=words.subject, body=words.body,
                       ref=("appointment", appointment.pk))


def notify_clinician(appointment, now):
    """An in-app notice (and an email) that reaches the clinician in their office hours."""
    clinician = appointment.clinician
    user = clinician.user
    due = next_office_hours(clinician, now)
    channels = [("in_app", "")] + ([("email", user.email)] if user.email else [])
    context = notice_context(appointment, user.preferred_language)
    for channel, address in channels:
        words = templates_text.render(appointment.practice, "cancelled_notice", channel,
                                      user.preferred_language, context)
        try:
            outbox.enqueue(practice=appointment.practice, channel=channel,
                           kind="cancelled_notice",
                           idempotency_key=f"appointment:{appointment.pk}:cancelled:{channel}",
                           due_at=due, recipient=user, address=address,
                           subject=words.subject, body=words.body,
                           ref=("appointment", appointment.pk))
        except ChannelUnavailable:  # the practice has no email: the in-app notice still goes
            logger.warning("Cancellation notice for appointment %s skips %s",
                                     appointment.pk, channel)
