"""The dispatcher claims urgent deliveries first, then the longest overdue, a batch at a time,
and never what is not due yet."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interlude.outreach.dispatcher import Dispatcher
from interlude.outreach.models import Delivery
from tests import factories
from tests.dispatcher_support import RecordingChannel, add, fake_channels

pytestmark = pytest.mark.django_db


def test_it_claims_urgent_first_then_in_due_order():
    home = factories.practice()
    now = timezone.now()
    add(home, "late", due_at=now - timedelta(minutes=1))
    add(home, "oldest", due_at=now - timedelta(minutes=30))
    add(home, "urgent", due_at=now - timedelta(seconds=1), urgent=True)
    add(home, "middle", due_at=now - timedelta(minutes=10))
    claimed = Dispatcher("d1", batch=10).claim()
    assert [d.idempotency_key for d in claimed] == ["urgent", "oldest", "middle", "late"]
    assert set(Delivery.objects.values_list("state", "claimed_by")) == {("claimed", "d1")}


def test_it_claims_no_more_than_a_batch_and_the_most_pressing_ones():
    home = factories.practice()
    now = timezone.now()
    for n in range(5):
        add(home, f"k{n}", due_at=now - timedelta(minutes=n))
    claimed = Dispatcher("d1", batch=2).claim()
    assert [d.idempotency_key for d in claimed] == ["k4", "k3"]
    assert Delivery.objects.filter(state="pending").count() == 3


def test_it_leaves_deliveries_that_are_not_due_yet():
    home = factories.practice()
    add(home, "tomorrow", due_at=timezone.now() + timedelta(days=1))
    add(home, "now")
    assert [d.idempotency_key for d in Dispatcher("d1").claim()] == ["now"]
    assert Delivery.objects.get(idempotency_key="tomorrow").state == "pending"


def test_it_gives_each_claimed_row_a_lease():
    home = factories.practice()
    add(home, "k1")
    before = timezone.now()
    Dispatcher("d1", lease=60).claim()
    row = Delivery.objects.get()
    assert before + timedelta(seconds=59) < row.lease_expires_at
    assert row.lease_expires_at < timezone.now() + timedelta(seconds=61)


def test_it_sends_in_claim_order_and_marks_each_sent():
    home = factories.practice()
    now = timezone.now()
    add(home, "second", due_at=now - timedelta(minutes=1))
    add(home, "urgent", urgent=True)
    add(home, "first", due_at=now - timedelta(minutes=5))
    with fake_channels():
        assert Dispatcher("d1").run_once() == 3
    assert RecordingChannel.sent == ["urgent", "first", "second"]
    rows = Delivery.objects.all()
    assert {(r.state, r.attempts, r.claimed_by) for r in rows} == {("sent", 1, "d1")}
    assert all(r.sent_at is not None and r.lease_expires_at is None for r in rows)


def test_it_does_not_claim_sent_dead_or_cancelled_rows():
    home = factories.practice()
    for state in ("sent", "dead", "cancelled"):
        row = add(home, state)
        Delivery.objects.filter(pk=row.pk).update(state=state)
    assert Dispatcher("d1").claim() == []
