"""The dispatcher: claims due deliveries under a lease, sends them, records each result.

Guarantees (any number of dispatchers side by side, on PostgreSQL or SQLite):

- A claim is one atomic step: on PostgreSQL one `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE
  SKIP LOCKED) RETURNING id`, on SQLite a select and an update inside one `BEGIN IMMEDIATE`
  transaction. Urgent rows (priority 0) come first, then the oldest due.
- Each result is recorded by its own conditional UPDATE right after the send, matching
  `claimed_by` and `state='claimed'`: a dispatcher whose lease passed to another cannot
  overwrite what the other did. A dispatcher killed mid-batch can therefore repeat at most the
  message it was sending; its other claimed rows are reclaimed when their lease expires.
- A failure goes back to `pending` with an exponential backoff (`backoff_seconds`), or to `dead`
  after `max_attempts` or a permanent failure. A failure on an urgent delivery also calls the
  escalation hooks at once (`outbox.escalate`).
- On stop (SIGTERM or SIGINT in `interlude dispatch`, the server stopping for the in-server
  dispatcher) it finishes the message in hand and hands its unsent claimed rows back.
- When the database is unreachable it logs, closes the connection and tries again with a
  backoff of at most 5 s, forever; an outcome it could not record is recorded on recovery.

Logs name deliveries by id and errors by class: never a subject, body or address.
"""

import contextlib
import logging
import os
import random
import secrets
import socket
import time
import traceback
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import outbox, planning
from .channels import (
    ChannelUnavailable,
    PermanentFailure,
    TemporaryFailure,
    enabled_on,
    get_channel,
)
from .models import Delivery, PracticeChannels

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25
PLAN_EVERY_SECONDS = 30
DB_RETRY_FIRST_SECONDS = 0.25
DB_RETRY_MAX_SECONDS = 5
ERROR_LENGTH = 200
DATABASE_DOWN = (OperationalError, InterfaceError)

CLAIM_SQL = """
UPDATE {table} SET state = %s, claimed_by = %s, lease_expires_at = %s
WHERE id IN (
    SELECT id FROM {table}
    WHERE (state = %s AND due_at <= %s) OR (state = %s AND lease_expires_at < %s)
    ORDER BY priority, due_at
    LIMIT %s
    FOR UPDATE SKIP LOCKED)
RETURNING id
"""


def backoff_seconds(attempts, urgent=False, rand=None):
    """Seconds to wait before attempt number `attempts + 1`.

    Doubling from 10 s up to 1 hour; urgent deliveries on a short cycle, 5 s up to 30 s. The
    jitter takes up to a quarter off, so dispatchers retrying together spread out.
    """
    base, cap = (5, 30) if urgent else (10, 3600)
    nominal = min(cap, base * 2 ** min(max(attempts, 1) - 1, 20))
    fraction = (rand or random.random)()
    return nominal * (0.75 + 0.25 * fraction)


def describe_error(exc):
    """What goes into last_error: the class, and the message only for the channels' own
    exceptions (which say what the server answered, never what was sent)."""
    name = type(exc).__name__
    if isinstance(exc, TemporaryFailure | PermanentFailure | ChannelUnavailable) and str(exc):
        return f"{name}: {exc}"[:ERROR_LENGTH]
    return name


def default_name():
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"[:80]


class Dispatcher:
    def __init__(self, name=None, batch=None, lease=None, poll=POLL_SECONDS,
                 plan_every=PLAN_EVERY_SECONDS, db_retry_first=DB_RETRY_FIRST_SECONDS):
        self.name = (name or default_name())[:80]
        self.batch = batch or settings.DISPATCH_BATCH
        self.lease = lease or settings.DISPATCH_LEASE_SECONDS
        self.poll = poll
        self.plan_every = plan_every
        self.db_retry_first = db_retry_first
        self._channels = {}
        self._open_channels = []
        self._held = []  # claimed by us and not yet sent
        self._unrecorded = []  # outcomes sent but not yet written (the database went away)
        self._last_plan = None
        self._lease_renew_at = 0.0

    # --- the loop ---------------------------------------------------------------------------

    def run(self, stop_event):
        """Dispatch until `stop_event` is set; then hand unsent claimed rows back."""
        log.info("dispatcher %s started", self.name)
        failures = 0
        recovered = False
        while not stop_event.is_set():
            try:
                if not recovered:
                    self.recover()
                    recovered = True
                self.plan_if_due()
                handled = self.run_once(stop_event)
            except DATABASE_DOWN as exc:
                failures += 1
                self._wait_for_database(exc, failures, stop_event)
                continue
            except Exception as exc:  # noqa: BLE001 - the loop must outlive any one bug
                failures += 1
                log.error("dispatcher %s: unexpected %s\n%s", self.name, type(exc).__name__,
                          "".join(traceback.format_tb(exc.__traceback__)))
                # An outcome that cannot be written for a reason other than the database must
                # not block every later message: its row is reclaimed when the lease expires.
                self._unrecorded.clear()
                stop_event.wait(min(DB_RETRY_MAX_SECONDS, failures))
                continue
            failures = 0
            if not handled:
                stop_event.wait(self.poll)
        self._shut_down()

    def run_once(self, stop_event=None):
        """Claim one batch and send it; returns how many rows were claimed (0: nothing due).

        Stops between messages when `stop_event` is set, handing the rest back.
        """
        self._settle()
        batch = self.claim()
        if not batch:
            return 0
        self._held = [delivery.pk for delivery in batch]
        self._lease_renew_at = time.monotonic() + self.lease / 2
        switches = self._switches(batch)
        try:
            for delivery in batch:
                if stop_event is not None and stop_event.is_set():
                    break
                if self._still_ours(delivery):
                    self._deliver(delivery, switches)
        finally:
            self._close_channels()
        self._release_held()
        return len(batch)

    def drain(self, stop_event=None):
        """Send batch after batch until nothing is due; returns how many were claimed."""
        self.recover()
        total = 0
        while not (stop_event is not None and stop_event.is_set()):
            handled = self.run_once(stop_event)
            if not handled:
                break
            total += handled
        return total

    def recover(self):
        """Hand back rows still claimed under this name: a dispatcher restarted under the same
        name (`interlude dispatch --name`) takes over from its dead predecessor at once instead
        of waiting for the lease to expire. Names must therefore be unique among running
        dispatchers. Returns how many rows went back."""
        released = Delivery.objects.filter(claimed_by=self.name,
                                           state=Delivery.State.CLAIMED).update(
            state=Delivery.State.PENDING, claimed_by="", lease_expires_at=None)
        if released:
            log.warning("dispatcher %s took back %s rows claimed by its previous run",
                        self.name, released)
        return released

    def plan_if_due(self):
        """Run the planners at most once every `plan_every` seconds; a failing planner is
        logged by its exception class and never stops the dispatch."""
        now = time.monotonic()
        if self._last_plan is not None and now - self._last_plan < self.plan_every:
            return
        self._last_plan = now
        try:
            planning.run_planners(timezone.now())
        except Exception as exc:  # noqa: BLE001 - planning must not stop sending
            log.warning("dispatcher %s: a planner failed: %s", self.name, type(exc).__name__)

    # --- claiming ---------------------------------------------------------------------------

    def claim(self, now=None):
        """Claim up to `batch` due rows (and rows whose lease expired); returns them in order."""
        now = now or timezone.now()
        lease_until = now + timedelta(seconds=self.lease)
        if connection.vendor == "postgresql":
            ids = self._claim_in_one_statement(now, lease_until)
        else:
            ids = self._claim_in_transaction(now, lease_until)
        if not ids:
            return []
        return list(Delivery.objects.filter(pk__in=ids, claimed_by=self.name,
                                            state=Delivery.State.CLAIMED)
                    .order_by("priority", "due_at", "pk"))

    def _claim_in_one_statement(self, now, lease_until):
        sql = CLAIM_SQL.format(table=connection.ops.quote_name(Delivery._meta.db_table))
        with connection.cursor() as cursor:
            cursor.execute(sql, [Delivery.State.CLAIMED, self.name, lease_until,
                                 Delivery.State.PENDING, now, Delivery.State.CLAIMED, now,
                                 self.batch])
            return [row[0] for row in cursor.fetchall()]

    def _claim_in_transaction(self, now, lease_until):
        # On SQLite the settings open every transaction with BEGIN IMMEDIATE: the select and
        # the update below run under the database's write lock, so no one claims in between.
        with transaction.atomic():
            due = (Delivery.objects.filter(_claimable(now))
                   .order_by("priority", "due_at").values_list("pk", flat=True))
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            ids = list(due[:self.batch])
            if ids:
                Delivery.objects.filter(pk__in=ids).filter(_claimable(now)).update(
                    state=Delivery.State.CLAIMED, claimed_by=self.name,
                    lease_expires_at=lease_until)
        return ids

    def _still_ours(self, delivery):
        """Renew the batch's lease when half of it has gone (slow sends); skip rows lost."""
        if time.monotonic() < self._lease_renew_at:
            return True
        mine = Delivery.objects.filter(pk__in=self._held, claimed_by=self.name,
                                       state=Delivery.State.CLAIMED)
        mine.update(lease_expires_at=timezone.now() + timedelta(seconds=self.lease))
        self._held = list(mine.values_list("pk", flat=True))
        self._lease_renew_at = time.monotonic() + self.lease / 2
        return delivery.pk in self._held

    def _release_held(self):
        """Hand claimed, unsent rows back as they were (stopping, or after a database error)."""
        if self._held:
            Delivery.objects.filter(pk__in=self._held, claimed_by=self.name,
                                    state=Delivery.State.CLAIMED).update(
                state=Delivery.State.PENDING, claimed_by="", lease_expires_at=None)
            self._held = []

    # --- sending and recording --------------------------------------------------------------

    def _deliver(self, delivery, switches):
        outcome = self._send(delivery, switches)
        self._held.remove(delivery.pk)
        self._unrecorded.append(outcome)
        self._record_outcomes()

    def _send(self, delivery, switches):
        """Send one delivery; returns the function that records what happened."""
        try:
            if not enabled_on(switches[delivery.practice_id], delivery.channel):
                raise ChannelUnavailable(f"the practice has not enabled {delivery.channel}")
            self._channel(delivery.channel).send(delivery)
        except DATABASE_DOWN:
            raise
        except (PermanentFailure, ChannelUnavailable) as exc:
            return partial(self._record_failure, delivery, exc, permanent=True)
        except TemporaryFailure as exc:
            return partial(self._record_failure, delivery, exc, permanent=False)
        except Exception as exc:  # noqa: BLE001 - an unknown error is retried, not lost
            log.warning("delivery %s: unexpected %s from the %s channel", delivery.pk,
                        type(exc).__name__, delivery.channel)
            return partial(self._record_failure, delivery, exc, permanent=False)
        return partial(self._record_sent, delivery, timezone.now())

    def _record_outcomes(self):
        while self._unrecorded:
            self._unrecorded[0]()
            self._unrecorded.pop(0)

    def _mine(self, delivery):
        return Delivery.objects.filter(pk=delivery.pk, claimed_by=self.name,
                                       state=Delivery.State.CLAIMED)

    def _record_sent(self, delivery, sent_at):
        updated = self._mine(delivery).update(state=Delivery.State.SENT, sent_at=sent_at,
                                              attempts=F("attempts") + 1, lease_expires_at=None)
        if not updated:
            log.warning("delivery %s was sent after its lease passed to another dispatcher",
                        delivery.pk)
        return updated

    def _record_failure(self, delivery, exc, permanent):
        attempts = delivery.attempts + 1
        urgent = delivery.priority == Delivery.URGENT
        dead = permanent or attempts >= delivery.max_attempts
        changes = {"attempts": F("attempts") + 1, "last_error": describe_error(exc),
                   "lease_expires_at": None}
        if dead:
            changes["state"] = Delivery.State.DEAD
        else:
            changes["state"] = Delivery.State.PENDING
            changes["due_at"] = timezone.now() + timedelta(
                seconds=backoff_seconds(attempts, urgent=urgent))
        with transaction.atomic():
            updated = self._mine(delivery).update(**changes)
            if updated and urgent:
                # Never wait silently on an urgent message: escalate on its first failure.
                outbox.escalate(delivery, exc)
        if updated:
            log.warning("delivery %s attempt %s failed (%s)%s", delivery.pk, attempts,
                        type(exc).__name__, ": dead" if dead else "")
        return updated

    # --- channels ---------------------------------------------------------------------------

    def _switches(self, batch):
        """The channel switches of every practice in the batch, in one query."""
        practice_ids = {delivery.practice_id for delivery in batch}
        found = {row.practice_id: row for row in
                 PracticeChannels.objects.filter(practice_id__in=practice_ids)}
        # A practice without a row has the defaults (in-app and email on).
        return {pid: found.get(pid) or PracticeChannels(practice_id=pid) for pid in practice_ids}

    def _channel(self, name):
        channel = self._channels.get(name)
        if channel is None:
            try:
                channel = get_channel(name)
            except ImportError as exc:
                raise ChannelUnavailable(f"the {name} channel is not installed") from exc
            self._channels[name] = channel
        if channel not in self._open_channels:
            if hasattr(channel, "open"):
                channel.open()
            self._open_channels.append(channel)
        return channel

    def _close_channels(self):
        while self._open_channels:
            channel = self._open_channels.pop()
            if hasattr(channel, "close"):
                try:
                    channel.close()
                except Exception as exc:  # noqa: BLE001 - closing must not lose results
                    log.warning("closing a channel failed: %s", type(exc).__name__)

    # --- the database going away, and stopping ----------------------------------------------

    def _settle(self):
        """After a database error: write the outcomes still in hand, then hand back the rows
        that were claimed but not sent."""
        self._record_outcomes()
        self._release_held()

    def _wait_for_database(self, exc, failures, stop_event):
        delay = min(DB_RETRY_MAX_SECONDS, self.db_retry_first * 2 ** min(failures - 1, 10))
        log.warning("dispatcher %s: database unavailable (%s); retrying in %.1f s", self.name,
                    type(exc).__name__, delay)
        self._close_channels()
        self._drop_connection()
        stop_event.wait(delay)

    @staticmethod
    def _drop_connection():
        # Inside a transaction (a test's) the connection is not ours to close.
        if not connection.in_atomic_block:
            with contextlib.suppress(*DATABASE_DOWN):
                connection.close()

    def _shut_down(self):
        try:
            self._settle()
        except DATABASE_DOWN as exc:
            # The rows stay claimed until their lease expires; then any dispatcher takes them.
            log.warning("dispatcher %s stopped without handing back its rows (%s)", self.name,
                        type(exc).__name__)
        self._close_channels()
        log.info("dispatcher %s stopped", self.name)


def _claimable(now):
    return (Q(state=Delivery.State.PENDING, due_at__lte=now)
            | Q(state=Delivery.State.CLAIMED, lease_expires_at__lt=now))


def run_in_server(stop_event):
    """The dispatcher `interlude serve` runs in a thread when DISPATCH_IN_SERVER is on."""
    try:
        Dispatcher(name=f"server-{default_name()}").run(stop_event)
    finally:
        connection.close()
