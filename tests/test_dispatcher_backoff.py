"""Failures are retried with exponential backoff and a cap; after the last attempt, or at once
for a permanent failure, a delivery is dead."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from interlude.outreach.channels import PermanentFailure, TemporaryFailure
from interlude.outreach.dispatcher import Dispatcher, backoff_seconds, describe_error
from interlude.outreach.models import Delivery
from tests import factories
from tests.dispatcher_support import RecordingChannel, add, fake_channels

LOW, HIGH = (lambda: 0.0), (lambda: 0.999999)


def test_it_doubles_from_ten_seconds_for_ordinary_deliveries():
    assert [round(backoff_seconds(n, rand=HIGH)) for n in range(1, 11)] == [
        10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600]


def test_it_retries_urgent_deliveries_on_a_short_cycle():
    assert [round(backoff_seconds(n, urgent=True, rand=HIGH)) for n in range(1, 6)] == [
        5, 10, 20, 30, 30]


@given(attempts=st.integers(min_value=1, max_value=10_000), urgent=st.booleans(),
       fraction=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_it_stays_within_the_jitter_band_and_under_the_cap(attempts, urgent, fraction):
    base, cap = (5, 30) if urgent else (10, 3600)
    nominal = min(cap, base * 2 ** (attempts - 1))
    delay = backoff_seconds(attempts, urgent=urgent, rand=lambda: fraction)
    assert 0.75 * nominal <= delay <= nominal <= cap


@given(attempts=st.integers(min_value=1, max_value=60), urgent=st.booleans())
def test_it_never_waits_less_after_more_failures(attempts, urgent):
    assert backoff_seconds(attempts + 1, urgent, rand=LOW) >= \
        backoff_seconds(attempts, urgent, rand=LOW)


def test_it_spreads_retries_with_jitter():
    delays = {round(backoff_seconds(3), 3) for _ in range(20)}
    assert len(delays) > 1
    assert all(30 <= d <= 40 for d in delays)


def test_it_writes_the_error_class_and_a_channel_message_never_anything_else():
    assert describe_error(TemporaryFailure("SMTP 451: the server refused for now")) == \
        "TemporaryFailure: SMTP 451: the server refused for now"
    assert describe_error(KeyError("Your session about panic attacks")) == "KeyError"


@pytest.mark.django_db
def test_it_puts_a_temporary_failure_back_with_a_later_due_time():
    home = factories.practice()
    add(home, "k1", body="Private words")
    before = timezone.now()
    with fake_channels():
        RecordingChannel.failures = [TemporaryFailure("SMTP 451: the server refused for now")]
        Dispatcher("d1").run_once()
    row = Delivery.objects.get()
    assert (row.state, row.attempts) == ("pending", 1)
    assert before + timedelta(seconds=7) <= row.due_at <= timezone.now() + timedelta(seconds=10)
    assert row.last_error == "TemporaryFailure: SMTP 451: the server refused for now"
    assert row.lease_expires_at is None
    assert Dispatcher("d2").claim() == []  # not due again yet


@pytest.mark.django_db
def test_it_gives_up_after_the_last_attempt():
    home = factories.practice()
    add(home, "k1", max_attempts=3)
    with fake_channels():
        RecordingChannel.failures = [TemporaryFailure("later")] * 3
        for attempt in range(1, 4):
            assert Dispatcher("d1").run_once() == 1
            row = Delivery.objects.get()
            assert row.attempts == attempt
            Delivery.objects.filter(pk=row.pk).update(due_at=timezone.now())
    row = Delivery.objects.get()
    assert (row.state, row.attempts, row.last_error) == ("dead", 3, "TemporaryFailure: later")
    assert RecordingChannel.sent == []
    assert Dispatcher("d1").claim() == []


@pytest.mark.django_db
def test_it_kills_a_permanent_failure_at_once():
    home = factories.practice()
    add(home, "k1")
    with fake_channels():
        RecordingChannel.failures = [PermanentFailure("SMTP 550: the server refused")]
        Dispatcher("d1").run_once()
    row = Delivery.objects.get()
    assert (row.state, row.attempts) == ("dead", 1)
    assert row.last_error == "PermanentFailure: SMTP 550: the server refused"


@pytest.mark.django_db
def test_it_retries_an_unexpected_channel_error_without_its_message():
    home = factories.practice()
    add(home, "k1")
    with fake_channels():
        RecordingChannel.failures = [ValueError("Your session about panic attacks")]
        Dispatcher("d1").run_once()
    row = Delivery.objects.get()
    assert (row.state, row.attempts, row.last_error) == ("pending", 1, "ValueError")


@pytest.mark.django_db
def test_it_kills_a_delivery_whose_channel_the_practice_switched_off():
    from interlude.outreach.models import PracticeChannels

    home = factories.practice()
    add(home, "k1", channel="email", address="a@example.org")
    PracticeChannels.objects.filter(practice=home).update(email_enabled=False)
    with fake_channels():
        Dispatcher("d1").run_once()
    row = Delivery.objects.get()
    assert row.state == "dead"
    assert "has not enabled email" in row.last_error
    assert RecordingChannel.sent == []
