"""A lease that expires (its dispatcher died) makes the row claimable again, and a dispatcher
that lost its lease cannot record a result over the new owner's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interlude.outreach.dispatcher import Dispatcher
from interlude.outreach.models import Delivery
from tests import factories
from tests.dispatcher_support import RecordingChannel, add, fake_channels

pytestmark = pytest.mark.django_db


def expire_leases():
    Delivery.objects.filter(state="claimed").update(
        lease_expires_at=timezone.now() - timedelta(seconds=1))


def test_it_does_not_claim_a_row_under_a_live_lease():
    home = factories.practice()
    add(home, "k1")
    assert len(Dispatcher("dead-one").claim()) == 1
    assert Dispatcher("survivor").claim() == []
    assert Delivery.objects.get().claimed_by == "dead-one"


def test_it_reclaims_a_row_whose_lease_expired():
    home = factories.practice()
    add(home, "k1")
    Dispatcher("dead-one").claim()
    expire_leases()
    with fake_channels():
        assert Dispatcher("survivor").run_once() == 1
    assert RecordingChannel.sent == ["k1"]
    row = Delivery.objects.get()
    assert (row.state, row.claimed_by, row.attempts) == ("sent", "survivor", 1)


def test_it_refuses_a_result_from_a_dispatcher_that_lost_its_lease():
    home = factories.practice()
    add(home, "k1")
    slow = Dispatcher("slow")
    [mine] = slow.claim()
    expire_leases()
    fast = Dispatcher("fast")
    [theirs] = fast.claim()
    assert slow._record_sent(mine, timezone.now()) == 0
    assert slow._record_failure(mine, TimeoutError(), permanent=True) == 0
    row = Delivery.objects.get()
    assert (row.state, row.claimed_by, row.attempts) == ("claimed", "fast", 0)
    assert fast._record_sent(theirs, timezone.now()) == 1
    row.refresh_from_db()
    assert (row.state, row.claimed_by, row.attempts) == ("sent", "fast", 1)


def test_it_skips_rows_lost_while_a_slow_batch_was_sending():
    home = factories.practice()
    add(home, "k1")
    add(home, "k2")
    slow = Dispatcher("slow", lease=60)

    def lose_the_second_row(delivery):
        if delivery.idempotency_key == "k1":
            Delivery.objects.filter(idempotency_key="k2").update(
                claimed_by="other", lease_expires_at=timezone.now() + timedelta(minutes=1))
            slow._lease_renew_at = 0  # as if half the lease had gone by

    with fake_channels():
        RecordingChannel.on_send = lose_the_second_row
        slow.run_once()
    assert RecordingChannel.sent == ["k1"]
    assert Delivery.objects.get(idempotency_key="k2").claimed_by == "other"
    assert Delivery.objects.get(idempotency_key="k1").state == "sent"


def test_it_renews_the_lease_of_a_slow_batch():
    home = factories.practice()
    add(home, "k1")
    add(home, "k2")
    slow = Dispatcher("slow", lease=60)
    seen = []

    def note_lease(delivery):
        if delivery.idempotency_key == "k1":
            Delivery.objects.filter(idempotency_key="k2").update(
                lease_expires_at=timezone.now() + timedelta(seconds=5))
            slow._lease_renew_at = 0
        else:
            seen.append(Delivery.objects.get(idempotency_key="k2").lease_expires_at)

    with fake_channels():
        RecordingChannel.on_send = note_lease
        slow.run_once()
    assert seen[0] > timezone.now() + timedelta(seconds=50)
    assert RecordingChannel.sent == ["k1", "k2"]


def test_a_dispatcher_restarted_under_its_name_takes_its_rows_back_at_once():
    home = factories.practice()
    add(home, "mine")
    add(home, "theirs")
    Dispatcher("worker-1", batch=1).claim()
    Dispatcher("worker-2", batch=1).claim()
    with fake_channels():
        assert Dispatcher("worker-1").drain() == 1  # the lease of the dead run is still live
    assert RecordingChannel.sent == ["mine"]
    theirs = Delivery.objects.get(idempotency_key="theirs")
    assert (theirs.state, theirs.claimed_by) == ("claimed", "worker-2")
