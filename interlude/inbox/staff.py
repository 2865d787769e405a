"""The clinician's side of the open inbox: which threads they see, in what order, and the
audited actions on them (opening a thread, looking at held messages, unpinning).

Only the thread's own clinician reaches a thread or its messages; anybody else, admins
included, gets 404, so a thread's existence is never disclosed.
"""

from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from interlude.audit.service import record

from . import services
from .models import Message, Thread

CLIENT = Message.Sender.CLIENT
LEVEL_RANK = {Message.Level.ROUTINE: 0, Message.Level.ELEVATED: 1, Message.Level.URGENT: 2}
RANK_LEVEL = {rank: level for level, rank in LEVEL_RANK.items()}

_from_client = Q(messages__sender=CLIENT)
_released = Q(messages__released_at__isnull=False)
UNREAD = _from_client & _released & Q(messages__read_at__isnull=True)
HELD = _from_client & Q(messages__released_at__isnull=True)
PINNED = Q(messages__pinned_at__isnull=False, messages__unpinned_at__isnull=True)


# --- who may reach what -----------------------------------------------------------------------

def own_thread(user, pk):
    """The thread `pk` if `user` is its clinician; 404 for everyone else."""
    if not (user.is_authenticated and user.is_active and user.practice_id):
        raise Http404("No such thread")
    thread = (Thread.objects.select_related("client", "clinician", "practice")
              .filter(pk=pk, clinician__user_id=user.pk, practice_id=user.practice_id).first())
    if thread is None:
        raise Http404("No such thread")
    return thread


def own_message(user, pk):
    """A message in one of `user`'s own threads, with its thread; 404 otherwise."""
    if not (user.is_authenticated and user.is_active and user.practice_id):
        raise Http404("No such message")
    message = (Message.objects.select_related("thread__client", "thread__clinician")
               .filter(pk=pk, thread__clinician__user_id=user.pk,
                       thread__practice_id=user.practice_id).first())
    if message is None:
        raise Http404("No such message")
    return message


# --- the inbox list ---------------------------------------------------------------------------

def inbox_threads(clinician):
    """The clinician's threads in inbox order, each annotated with what the list shows.

    One query for any number of threads: pinned urgent messages first, then threads with
    unread released messages (urgent, then elevated, then routine), then the rest by last
    activity. Held messages are counted apart
    and never as unread, and their level stays hidden until they are released.
    """
    rank = Case(*(When(messages__level=level, then=Value(n)) for level, n in LEVEL_RANK.items()),
                default=Value(0), output_field=IntegerField())
    return (Thread.objects.filter(clinician=clinician)
            .select_related("client")
            .annotate(unread=Count("messages", filter=UNREAD),
                      held=Count("messages", filter=HELD),
                      held_until=Min("messages__held_until", filter=HELD),
                      pinned=Count("messages", filter=PINNED),
                      level_rank=Max(rank, filter=UNREAD | PINNED),
                      last_activity=Coalesce(Max("messages__created_at", filter=_released),
                                             "created_at"))
            .annotate(pinned_first=Case(When(pinned__gt=0, then=Value(1)), default=Value(0)),
                      unread_first=Case(When(unread__gt=0, then=Value(1)), default=Value(0)))
            .order_by("-pinned_first", "-unread_first", F("level_rank").desc(nulls_last=True),
                      "-last_activity", "-pk"))


def level_of(thread):
    """The highest level among a listed thread's unread and pinned messages."""
    return RANK_LEVEL.get(thread.level_rank or 0, Message.Level.ROUTINE)


def view_inbox(user, clinician, page_number, rows, request=None):
    with transaction.atomic():
        record(user, "view", "Inbox", clinician.pk, request=request,
               detail={"page": page_number, "rows": rows})


# --- one thread -------------------------------------------------------------------------------

def visible_messages(thread):
    """Released messages (with whatever was kept for a session), newest first."""
    return (thread.messages.filter(released_at__isnull=False)
            .select_related("agenda_item__appointment").order_by("-created_at", "-pk"))


def held_messages(thread):
    return (thread.messages.filter(sender=CLIENT, released_at__isnull=True)
            .select_related("agenda_item__appointment").order_by("created_at", "pk"))


def held_summary(thread):
    """(how many client messages are held, the earliest held_until) for one thread."""
    summary = thread.messages.filter(sender=CLIENT, released_at__isnull=True).aggregate(
        count=Count("pk"), until=Min("held_until"))
    return summary["count"], summary["until"]


def open_thread(user, thread, *, held=False, request=None):
    """Opening a thread is a read of clinical data: audited; the client's released messages
    become read. With `held`, the clinician chose to look at held messages too: audited as
    such, and those stay held and unread."""
    now = timezone.now()
    with transaction.atomic():
        marked = services.mark_read(thread, now)
        record(user, "view", "Thread", thread.pk, request=request, client=thread.client,
               detail={"marked_read": marked})
        if held:
            count, until = held_summary(thread)
            record(user, "view_held", "Thread", thread.pk, request=request,
                   client=thread.client, detail={"held": count, "held_until": until})
    return marked


def unpin(user, message, *, request=None):
    """The clinician has seen to a pinned urgent message; it leaves the top of the inbox."""
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, pinned_at__isnull=False,
                                         unpinned_at__isnull=True).update(
            unpinned_at=timezone.now())
        if updated:
            record(user, "unpin", "Message", message.pk, request=request,
                   client=message.thread.client)
    return bool(updated)


# --- risk history -----------------------------------------------------------------------------

def last_urgent_at(client):
    """When the client last sent an urgent message, had an urgent alert raised or tried to send
    an urgent text to a closed inbox; None if never."""
    from interlude.audit.models import AuditEvent
    from interlude.crisis.models import UrgentAlert

    message_at = Message.objects.filter(thread__client=client, sender=CLIENT,
                                        level=Message.Level.URGENT).aggregate(
        at=Max("created_at"))["at"]
    # Alerts come from messages today; measures' risk items will raise them without one.
    alert_at = UrgentAlert.objects.filter(client=client).aggregate(at=Max("created_at"))["at"]
    # An urgent text the closed inbox could not take is kept only as an audit event.
    refused_at = AuditEvent.objects.filter(action="urgent_not_sent", client_id_ref=client.pk
                                           ).aggregate(at=Max("at"))["at"]
    found = [at for at in (message_at, alert_at, refused_at) if at is not None]
    return max(found) if found else None
