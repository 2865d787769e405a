""""For next session": client messages the clinician keeps for the agenda of the next session.

An AgendaItem goes on the client's next upcoming appointment with the thread's clinician. When
there is none yet, it waits (no appointment) and the next appointment made picks it up
(`attach_waiting`, called where appointments are created). An item whose appointment was
cancelled, or the client did not attend, waits again for the next one: the pages read it that
way (`agenda_counts`, `agenda_for`) and the next appointment made takes it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from interlude.audit.service import record
from interlude.outreach.models import Appointment

from .models import AgendaItem, Message

ACTIVE = (Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED)
# The session never took place: what was kept for it waits for the next one.
GONE = (Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW)
WAITING = Q(appointment__isnull=True) | Q(appointment__status__in=GONE)


def next_appointment(client_id, clinician_id, now=None):
    """The client's next appointment with this clinician that has not started, or None."""
    return (Appointment.objects.filter(client_id=client_id, clinician_id=clinician_id,
                                       status__in=ACTIVE, start__gt=now or timezone.now())
            .order_by("start", "pk").first())


def keep_for_session(user, message, *, request=None):
    """Keep a client's message for the next session; returns (item, created).

    Keeping a message twice changes nothing. Audited with the appointment it went to.
    """
    thread = message.thread
    if message.sender != Message.Sender.CLIENT:
        raise ValidationError(_("Only a client's message can be kept for the next session."))
    with transaction.atomic():
        # Two clicks at once keep the message once.
        Message.objects.select_for_update().filter(pk=message.pk).first()
        item = (AgendaItem.objects.select_related("appointment")
                .filter(message_id=message.pk).first())
        if item is not None:
            return item, False
        now = timezone.now()
        appointment = next_appointment(thread.client_id, thread.clinician_id, now)
        item = AgendaItem.objects.create(message=message, client_id=thread.client_id,
                                         appointment=appointment, created_by=user,
                                         created_at=now)
        record(user, "keep_for_session", "Message", message.pk, request=request,
               client=thread.client,
               detail={"agenda_item": item.pk,
                       "appointment": appointment.pk if appointment else None})
    return item, True


def attach_waiting(appointment, *, actor=None, request=None):
    """A new appointment takes the client's kept messages that wait for a session with this
    clinician, and those kept for a later session, since this one now comes first. Call it
    inside the transaction that creates the appointment. Returns how many it took."""
    items = (AgendaItem.objects.filter(client_id=appointment.client_id,
                                       message__thread__clinician_id=appointment.clinician_id,
                                       discussed_at__isnull=True)
             .filter(WAITING | Q(appointment__status__in=ACTIVE,
                                 appointment__start__gt=appointment.start))
             .exclude(appointment_id=appointment.pk))
    ids = list(items.values_list("pk", flat=True))
    if not ids:
        return 0
    AgendaItem.objects.filter(pk__in=ids).update(appointment=appointment)
    record(actor, "attach_agenda", "Appointment", appointment.pk, request=request,
           client=appointment.client, detail={"agenda_items": ids})
    return len(ids)


def settle(client_id, clinician_id, *, actor=None, request=None):
    """After an appointment moved or was cancelled, kept messages belong on whichever
    appointment now comes next. Returns how many moved."""
    upcoming = next_appointment(client_id, clinician_id)
    if upcoming is None:
        return 0
    return attach_waiting(upcoming, actor=actor, request=request)


def _next_by_pair(pairs, now):
    """{(client_id, clinician_id): pk of the next appointment} in one query."""
    if not pairs:
        return {}
    clients = {client for client, _clinician in pairs}
    clinicians = {clinician for _client, clinician in pairs}
    upcoming = (Appointment.objects.filter(client_id__in=clients, clinician_id__in=clinicians,
                                           status__in=ACTIVE, start__gt=now)
                .order_by("start", "pk").values_list("client_id", "clinician_id", "pk"))
    found = {}
    for client, clinician, pk in upcoming:
        found.setdefault((client, clinician), pk)
    return found


def _placed(appointments, now):
    """The open agenda items for these appointments, each with the appointment it belongs to
    now: its own, or for a waiting item the client's next one. Two queries at most."""
    if not appointments:
        return []
    ids = [a.pk for a in appointments]
    clients = {a.client_id for a in appointments}
    rows = list(AgendaItem.objects.filter(client_id__in=clients, discussed_at__isnull=True)
                .filter(Q(appointment_id__in=ids) | WAITING)
                .values_list("pk", "appointment_id", "appointment__status", "client_id",
                             "message__thread__clinician_id"))
    waiting = {(client, clinician) for _pk, appointment_id, status, client, clinician in rows
               if appointment_id is None or status in GONE}
    next_of = _next_by_pair(waiting, now)
    placed = []
    for pk, appointment_id, status, client, clinician in rows:
        if appointment_id is None or status in GONE:
            appointment_id = next_of.get((client, clinician))
        if appointment_id in ids:
            placed.append((pk, appointment_id))
    return placed


def agenda_counts(appointments, now=None):
    """{appointment pk: how many kept messages are on its agenda} for a page of appointments."""
    counts = {}
    for _pk, appointment_id in _placed(list(appointments), now or timezone.now()):
        counts[appointment_id] = counts.get(appointment_id, 0) + 1
    return counts


def agenda_for(appointment, now=None):
    """The kept messages on one appointment's agenda, oldest first, with their threads."""
    ids = [pk for pk, _appointment in _placed([appointment], now or timezone.now())]
    return list(AgendaItem.objects.filter(pk__in=ids)
                .select_related("message", "message__thread")
                .order_by("message__created_at", "pk"))
