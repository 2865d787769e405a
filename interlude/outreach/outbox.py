"""Putting messages into the outbox. The dispatcher (dispatcher.py) takes them out.

`enqueue` is idempotent: the same idempotency key never makes a second row, so a caller that
retries after a crash, or two processes planning the same reminder, enqueue it once. It refuses
a channel the practice has not enabled (`ChannelUnavailable`), so nothing is dropped silently.

Urgent messages never wait silently: when a channel fails on one, the dispatcher calls
`escalate(delivery, error)`, which runs every function registered with
`on_urgent_failure`. The default one copies the message to the recipient's other channels;
other parts (the crisis rota) register their own, such as "the next person on the rota".
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from interlude.audit.service import record

from .channels import ChannelUnavailable, enabled_on, practice_channels, require_channel
from .models import Delivery

log = logging.getLogger(__name__)

ESCALATION_MARK = ":escalate:"
# Failure of an urgent delivery: functions called as hook(delivery, error).
_URGENT_FAILURE_HOOKS = []


def enqueue(*, practice, channel, kind, idempotency_key, due_at=None, recipient=None,
            address="", subject="", body="", ref=("", ""), urgent=False, max_attempts=None):
    """Add one message to the outbox, or return the row already there under this key.

    Raises ChannelUnavailable if the practice has not enabled `channel`.
    """
    return _enqueue(practice=practice, channel=channel, kind=kind,
                    idempotency_key=idempotency_key, due_at=due_at, recipient=recipient,
                    address=address, subject=subject, body=body, ref=ref, urgent=urgent,
                    max_attempts=max_attempts)[0]


def _enqueue(*, practice, channel, kind, idempotency_key, due_at=None, recipient=None,
             address="", subject="", body="", ref=("", ""), urgent=False, max_attempts=None):
    """enqueue, also saying whether the row is new."""
    require_channel(practice, channel)
    fields = {
        "practice": practice, "channel": channel, "kind": kind, "recipient": recipient,
        "address": address, "subject": subject, "body": body,
        "ref_type": ref[0], "ref_id": str(ref[1]),
        "priority": Delivery.URGENT if urgent else Delivery.NORMAL,
        "due_at": due_at or timezone.now(),
    }
    if max_attempts is not None:
        fields["max_attempts"] = max_attempts
    try:
        with transaction.atomic():
            return Delivery.objects.create(idempotency_key=idempotency_key, **fields), True
    except IntegrityError:
        existing = Delivery.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False


def cancel_pending(ref_type, ref_id, kinds=None):
    """Withdraw messages about something that changed (a moved or cancelled appointment)
    that have not been sent yet. Returns how many were withdrawn."""
    rows = Delivery.objects.filter(ref_type=ref_type, ref_id=str(ref_id),
                                   state=Delivery.State.PENDING)
    if kinds:
        rows = rows.filter(kind__in=kinds)
    return rows.update(state=Delivery.State.CANCELLED)


# --- retrying dead deliveries (the admin's Deliveries page) ---------------------------------

def _revive(rows):
    return rows.update(state=Delivery.State.PENDING, attempts=0, due_at=timezone.now(),
                       claimed_by="", lease_expires_at=None)


def retry_dead(actor, delivery, request=None):
    """Give a dead delivery a fresh set of attempts, due now. Returns False if it is not dead."""
    with transaction.atomic():
        revived = _revive(Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.DEAD))
        if revived:
            record(actor, "retry", "Delivery", delivery.pk, request=request,
                   practice=delivery.practice_id,
                   detail={"kind": delivery.kind, "channel": delivery.channel})
    return bool(revived)


def retry_all_dead(actor, practice, request=None):
    """Retry every dead delivery of one practice; returns how many."""
    with transaction.atomic():
        revived = _revive(Delivery.objects.filter(practice=practice, state=Delivery.State.DEAD))
        if revived:
            record(actor, "retry", "Delivery", "", request=request, practice=practice,
                   detail={"all_dead": True, "count": revived})
    return revived


# --- escalation of urgent failures ----------------------------------------------------------

def on_urgent_failure(hook):
    """Register `hook(delivery, error)`, called when a channel fails on an urgent delivery.

    Usable as a decorator. Hooks must be idempotent: a delivery that fails again calls them
    again (the default one enqueues under derived keys, so repeats add nothing).
    """
    if hook not in _URGENT_FAILURE_HOOKS:
        _URGENT_FAILURE_HOOKS.append(hook)
    return hook


def remove_urgent_failure_hook(hook):
    if hook in _URGENT_FAILURE_HOOKS:
        _URGENT_FAILURE_HOOKS.remove(hook)


def urgent_failure_hooks():
    return list(_URGENT_FAILURE_HOOKS)


def escalate(delivery, error):
    """Run every escalation hook; one hook failing never stops the others. Returns how many
    hooks failed (each is logged with its exception class, never the message)."""
    failed = 0
    for hook in list(_URGENT_FAILURE_HOOKS):
        try:
            with transaction.atomic():
                hook(delivery, error)
        except Exception as exc:  # noqa: BLE001 - an escalation failure must not hide the others
            failed += 1
            log.error("escalation hook %s failed for delivery %s: %s",
                      getattr(hook, "__name__", hook), delivery.pk, type(exc).__name__)
    return failed


def root_key(idempotency_key):
    """The key of the original message an escalated copy was made from."""
    return idempotency_key.split(ESCALATION_MARK, 1)[0]


def _other_channels(delivery, original_channel):
    """(channel, address) pairs to copy an urgent message to, besides the failed ones."""
    recipient = delivery.recipient
    if recipient is None:
        return []
    switches = practice_channels(delivery.practice_id)
    # Only clients have a phone on file; a missing Client row reads as no phone.
    phone = getattr(getattr(recipient, "client", None), "phone", "")
    candidates = [("in_app", ""), ("email", recipient.email), ("sms", phone)]
    return [(name, address) for name, address in candidates
            if name not in (delivery.channel, original_channel)
            and (name == "in_app" or address) and enabled_on(switches, name)]


def escalate_to_other_channels(delivery, error):
    """The default escalation: the same message, urgent and due now, on the recipient's other
    channels (in-app always, email and SMS where an address is known and the practice has
    them), under keys derived from the original's so a second failure adds nothing."""
    root = root_key(delivery.idempotency_key)
    original = Delivery.objects.filter(idempotency_key=root).values_list("channel", flat=True)
    original_channel = original.first() or delivery.channel
    copies = []
    for channel, address in _other_channels(delivery, original_channel):
        try:
            copy, created = _enqueue(
                practice=delivery.practice, channel=channel, kind=delivery.kind,
                idempotency_key=f"{root}{ESCALATION_MARK}{channel}", recipient=delivery.recipient,
                address=address, subject=delivery.subject, body=delivery.body,
                ref=(delivery.ref_type, delivery.ref_id), urgent=True)
        except ChannelUnavailable:
            continue
        if created:
            copies.append({"channel": channel, "delivery": copy.pk})
    if copies:
        _record_escalation(delivery, error, "escalated", copies)
    elif not _escalated_before(root):
        # Nowhere else to send it: say so loudly, never wait silently.
        _record_escalation(delivery, error, "escalation_failed", copies)
        log.error("urgent delivery %s failed and has no other channel to escalate to",
                  delivery.pk)


def _record_escalation(delivery, error, action, copies):
    record(None, action, "Delivery", delivery.pk, practice=delivery.practice_id,
           label="dispatcher", detail={"kind": delivery.kind, "channel": delivery.channel,
                                       "error": type(error).__name__, "copies": copies})


def _escalated_before(root):
    return Delivery.objects.filter(idempotency_key__startswith=f"{root}{ESCALATION_MARK}").exists()


on_urgent_failure(escalate_to_other_channels)
