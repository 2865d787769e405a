"""With the database unreachable for a while the dispatcher waits, tries again and resumes;
nothing is lost and nothing is sent twice."""

import threading

import pytest
from django.db import InterfaceError, OperationalError

from interlude.outreach.dispatcher import Dispatcher
from interlude.outreach.models import Delivery
from tests import factories
from tests.dispatcher_support import RecordingChannel, add, fake_channels

pytestmark = pytest.mark.django_db


def flaky(method, failures, stop, errors=(OperationalError, InterfaceError)):
    """Wrap `method`: raise the database errors `failures` times, then behave; set `stop` once
    the real method finds nothing left to do."""
    calls = {"failed": 0}

    def wrapper(*args, **kwargs):
        if calls["failed"] < failures:
            calls["failed"] += 1
            raise errors[calls["failed"] % len(errors)]("the database is unreachable")
        result = method(*args, **kwargs)
        if not result:
            stop.set()
        return result

    return wrapper, calls


def test_it_waits_for_the_database_and_then_sends_everything(caplog):
    home = factories.practice()
    keys = [f"k{n}" for n in range(7)]
    for key in keys:
        add(home, key, body="Private words")
    stop = threading.Event()
    dispatcher = Dispatcher("d1", batch=3, db_retry_first=0.01)
    dispatcher.claim, calls = flaky(dispatcher.claim, 4, stop)
    with fake_channels():
        dispatcher.run(stop)
    assert calls["failed"] == 4
    assert sorted(RecordingChannel.sent) == keys
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}
    assert caplog.text.count("database unavailable") == 4
    assert "Private words" not in caplog.text


def test_it_records_a_send_whose_result_it_could_not_write_without_sending_it_again():
    home = factories.practice()
    add(home, "k1")
    add(home, "k2")
    stop = threading.Event()
    dispatcher = Dispatcher("d1", batch=2, db_retry_first=0.01)
    real_record = dispatcher._record_sent
    failures = {"left": 2}

    def record_sent(delivery, sent_at):
        if failures["left"]:
            failures["left"] -= 1
            raise OperationalError("the database went away")
        return real_record(delivery, sent_at)

    dispatcher._record_sent = record_sent
    dispatcher.claim, _calls = flaky(dispatcher.claim, 0, stop)
    with fake_channels():
        dispatcher.run(stop)
    # k1 was sent, its result could not be written, k2 was handed back and sent after.
    assert RecordingChannel.sent == ["k1", "k2"]
    rows = Delivery.objects.order_by("idempotency_key")
    assert [(r.state, r.attempts, r.claimed_by) for r in rows] == [
        ("sent", 1, "d1"), ("sent", 1, "d1")]


def test_it_backs_off_no_longer_than_five_seconds():
    stop = threading.Event()
    waits = []

    class Recorder(threading.Event):
        def wait(self, timeout=None):
            waits.append(timeout)
            if len(waits) >= 12:
                stop.set()
            return stop.is_set()

        def is_set(self):
            return stop.is_set()

    dispatcher = Dispatcher("d1", db_retry_first=0.25)
    dispatcher.claim, _calls = flaky(dispatcher.claim, 100, stop)
    dispatcher.run(Recorder())
    assert waits[:5] == [0.25, 0.5, 1.0, 2.0, 4.0]
    assert max(waits) == 5
