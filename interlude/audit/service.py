"""Writing to the audit trail. Call `record` inside the transaction of the change it describes."""

from django.db import transaction

from .models import AuditEvent, AuditHead


def client_ip(request):
    if request is None:
        return None
    # Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. via a trusted middleware);
    # X-Forwarded-For is not trusted here because a client could forge it.
    return request.META.get("REMOTE_ADDR") or None


def record(actor, action, object_type, object_id="", *, request=None, practice=None,
           client=None, detail=None, label=None):
    """Append one event to the chain; returns it.

    `client` is the Client whose clinical record was touched, so a trail can be filtered by client.
    """
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        if practice is None and actor is not None and getattr(actor, "practice_id", None):
            practice_id = actor.practice_id
        else:
            practice_id = getattr(practice, "pk", practice)
        event = AuditEvent(
            actor=actor if actor is not None and actor.pk else None,
            actor_label=label or (actor.email if actor is not None and actor.pk else "system"),
            practice_id=practice_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            client_id_ref=getattr(client, "pk", client),
            ip_address=client_ip(request),
            detail=detail or {},
            prev_hash=head.last_hash,
            seq=head.last_seq + 1,
        )
        event.hash = event.compute_hash()
        event.save()
        head.last_hash = event.hash
        head.last_seq = event.seq
        head.save(update_fields=["last_hash", "last_seq"])
        return event


def verify_chain(batch_size=2000):
    """Walk the trail in order.

    Returns (events_checked, first_broken_seq or None, reason).
    """
    expected_prev = "0" * 64
    expected_seq = 1
    while True:
        batch = list(AuditEvent.objects.filter(seq__gte=expected_seq).order_by("seq")[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.seq != expected_seq:
                return expected_seq - 1, expected_seq, "this event is missing (deleted)"
            if event.prev_hash != expected_prev:
                return expected_seq - 1, event.seq, "the link to the previous event does not match"
            if event.compute_hash() != event.hash:
                return expected_seq - 1, event.seq, "the event was altered after it was written"
            expected_prev = event.hash
            expected_seq += 1
    checked = expected_seq - 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and head.last_seq > checked:
        return checked, checked + 1, "events at the end of the trail were deleted"
    if head and head.last_seq and head.last_hash != expected_prev:
        return checked, checked, "the last event does not match the recorded head"
    return checked, None, ""
