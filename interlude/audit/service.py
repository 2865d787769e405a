"""Writing, checking and reading the audit trail.

Call `record` inside the transaction of the change (or the read) it describes, so the event and
the change commit or roll back together.
"""

import json
from datetime import datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q

from .models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
# Plain SQL for the hot path; the table name is the model's (checked in the audit tests).
READ_HEAD = "SELECT last_hash, last_seq FROM audit_audithead WHERE id = 1"
MOVE_HEAD = "UPDATE audit_audithead SET last_hash = %s, last_seq = %s WHERE id = 1"


def client_ip(request):
    if request is None:
        return None
    # Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. via a trusted middleware);
    # X-Forwarded-For is not trusted here because a client could forge it.
    return request.META.get("REMOTE_ADDR") or None


def _actor_fields(actor, label):
    known = actor is not None and getattr(actor, "pk", None) is not None
    if label:
        return (actor if known else None), label
    if known:
        return actor, actor.email
    return None, ("system" if actor is None else "anonymous")


def _plain_json(detail):
    # Hash exactly what the JSON column will give back, so verify sees the same bytes.
    return json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder))


def _locked_head():
    """(last_hash, last_seq) of the chain, with its row locked until the transaction ends.

    Every audited read passes here, so it uses the cursor directly: the ORM's query building
    cost more than the rest of the audit write. On SQLite the write transaction (BEGIN
    IMMEDIATE) already holds the database lock.
    """
    sql = READ_HEAD + " FOR UPDATE" if connection.features.has_select_for_update else READ_HEAD
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    if row is not None:
        return row
    # Migration 0003 creates the head row; the fallback covers a database emptied by `flush`
    # (tests). On PostgreSQL a second creator hits the primary key, and get_or_create then
    # locks the winner's row.
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    return head.last_hash, head.last_seq


def _move_head(event):
    with connection.cursor() as cursor:
        cursor.execute(MOVE_HEAD, [event.hash, event.seq])


def record(actor, action, object_type, object_id="", *, request=None, practice=None,
           client=None, detail=None, label=None):
    """Append one event to the chain; returns it.

    `client` is the Client whose clinical record was touched, so a trail can be filtered by client.
    `detail` holds identifiers and field names only, never clinical text.
    """
    actor_row, actor_label = _actor_fields(actor, label)
    if practice is None and actor_row is not None:
        practice_id = actor_row.practice_id
    else:
        practice_id = getattr(practice, "pk", practice)
    with transaction.atomic():
        last_hash, last_seq = _locked_head()
        event = AuditEvent(
            actor=actor_row,
            actor_label=actor_label[:254],
            practice_id=practice_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id or "")[:60],
            client_id_ref=getattr(client, "pk", client),
            ip_address=client_ip(request),
            detail=_plain_json(detail),
            prev_hash=last_hash,
            seq=last_seq + 1,
        )
        event.hash = event.compute_hash()
        event.save()
        _move_head(event)
        return event


class ChainReport(NamedTuple):
    """The result of walking the chain: `broken_seq` is None when every link holds."""

    checked: int
    broken_seq: int | None
    reason: str

    @property
    def ok(self):
        return self.broken_seq is None


def _check_event(event, expected_seq, expected_prev):
    if event.seq != expected_seq:
        return "this event is missing (deleted)"
    if event.prev_hash != expected_prev:
        return "the link to the previous event does not match"
    if event.compute_hash() != event.hash:
        return "the event was altered after it was written"
    return ""


def _check_end(checked, last_hash):
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        if checked:
            return ChainReport(checked, checked, "the head of the trail is missing")
        return ChainReport(0, None, "")
    if head.last_seq > checked:
        return ChainReport(checked, checked + 1, "events at the end of the trail were deleted")
    if head.last_seq < checked:
        return ChainReport(checked, head.last_seq + 1,
                           "events were added after the recorded head, outside the audit service")
    if checked and head.last_hash != last_hash:
        return ChainReport(checked, checked, "the last event does not match the recorded head")
    return ChainReport(checked, None, "")


def verify_chain(batch_size=2000):
    """Walk the whole trail in order and report the first broken link."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    while True:
        batch = list(AuditEvent.objects.filter(seq__gte=expected_seq)
                     .order_by("seq")[:batch_size])
        for event in batch:
            reason = _check_event(event, expected_seq, expected_prev)
            if reason:
                return ChainReport(expected_seq - 1, expected_seq, reason)
            expected_prev = event.hash
            expected_seq += 1
        if len(batch) < batch_size:
            break
    return _check_end(expected_seq - 1, expected_prev)


def tail(count=20):
    """The newest events of the whole trail, newest first (for the console)."""
    return list(AuditEvent.objects.order_by("-seq")[:count])


class TrailFilter(NamedTuple):
    actor: str = ""
    action: str = ""
    object_type: str = ""
    client_id: int | None = None
    date_from: object = None
    date_to: object = None


def _day_start(day, zone):
    return datetime.combine(day, time.min, tzinfo=zone)


def practice_trail(practice, trail_filter=None):
    """One practice's events, newest first, narrowed by a TrailFilter.

    Dates are whole days in the practice's own time zone.
    """
    f = trail_filter or TrailFilter()
    zone = ZoneInfo(practice.time_zone)
    events = AuditEvent.objects.filter(practice_id=practice.pk).select_related("actor")
    if f.actor:
        events = events.filter(Q(actor_label__icontains=f.actor)
                               | Q(actor__full_name__icontains=f.actor))
    if f.action:
        events = events.filter(action=f.action)
    if f.object_type:
        events = events.filter(object_type=f.object_type)
    if f.client_id is not None:
        events = events.filter(client_id_ref=f.client_id)
    if f.date_from:
        events = events.filter(at__gte=_day_start(f.date_from, zone))
    if f.date_to:
        events = events.filter(at__lt=_day_start(f.date_to + timedelta(days=1), zone))
    return events.order_by("-seq")


def known_values(practice, field):
    """The distinct actions or object types a practice's trail holds, for the filter menus."""
    return list(AuditEvent.objects.filter(practice_id=practice.pk).order_by(field)
                .values_list(field, flat=True).distinct())
