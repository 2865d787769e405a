"""Releasing held messages when the clinician's office hours open (a dispatcher planner).

A held message waits for `held_until`. When that instant passes, the client's availability is
asked again, because time off or hours may have changed since: still closed moves the message
to the new next window; open releases it. Each clinician's released messages make one digest.
Urgent messages never come here: they are released when they are sent.
"""

import logging
from collections import defaultdict

from django.db import transaction

from interlude.agreements import availability

from . import notices
from .models import Message

log = logging.getLogger(__name__)
BATCH = 500
AGREEMENT_GATES = frozenset({"no_agreement", "not_signed", "channel_closed"})


def due_messages(now):
    return (Message.objects.filter(sender=Message.Sender.CLIENT, released_at__isnull=True,
                                   held_until__lte=now)
            .select_related("thread__client__user", "thread__clinician__user",
                            "thread__practice")
            .defer("body", "triage_reasons").order_by("held_until", "pk")[:BATCH])


def release_due(now):
    """Release what is due; returns how many messages were released."""
    by_client = defaultdict(list)
    for message in due_messages(now):
        by_client[message.thread.client].append(message)
    released = defaultdict(list)
    for client, messages in by_client.items():
        answer = availability.check(client, "inbox", now)
        if answer.reason in AGREEMENT_GATES:
            # Sent under an agreement that has changed since (a revision waits, the channel was
            # closed): the messages were accepted, so they are read in the clinician's hours.
            answer = availability.reading_hours(messages[0].thread.clinician, now)
        if answer.allowed or answer.next_seen_at is None:
            released[messages[0].thread.clinician].extend(messages)
        else:
            Message.objects.filter(pk__in=[m.pk for m in messages]).update(
                held_until=answer.next_seen_at)
    return sum(_release(clinician, messages, now) for clinician, messages in released.items())


def _release(clinician, messages, now):
    """Release one clinician's messages and send one digest, in one transaction; a second
    dispatcher doing the same finds them released already and sends nothing."""
    with transaction.atomic():
        count = Message.objects.filter(pk__in=[m.pk for m in messages],
                                       released_at__isnull=True).update(released_at=now)
        if count != len(messages):
            # Another dispatcher got here first; it sends the digest for what it released.
            transaction.set_rollback(True)
            return 0
        # The automatic replies to these batches reach the clinician's view with them.
        Message.objects.filter(thread_id__in={m.thread_id for m in messages},
                               sender=Message.Sender.SYSTEM,
                               released_at__isnull=True).update(released_at=now)
        key = f"inbox-digest:{clinician.pk}:{min(m.pk for m in messages)}"
        notices.digest(clinician, messages, key)
    log.info("released %s held messages for clinician %s", count, clinician.pk)
    return count
