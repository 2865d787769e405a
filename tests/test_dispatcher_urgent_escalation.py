"""A channel failure on an urgent delivery escalates at once, to the recipient's other
channels and to every registered hook, and is audited; it never just waits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interlude.audit.models import AuditEvent
from interlude.crisis import alerts
from interlude.outreach import outbox
from interlude.outreach.channels import PermanentFailure, TemporaryFailure
from interlude.outreach.dispatcher import Dispatcher
from interlude.outreach.models import Delivery, PracticeChannels
from tests import factories
from tests.dispatcher_support import RecordingChannel, add, fake_channels

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    home = factories.practice()
    return factories.client(factories.clinician(home), phone="+15555550100")


def fail_urgent_sms(person, failure):
    PracticeChannels.objects.create(practice=person.practice, sms_enabled=True)
    original = add(person.practice, "alert:9", channel="in_app", recipient=person.user,
                   urgent=True)
    Delivery.objects.filter(pk=original.pk).update(channel="sms", address=person.phone)
    with fake_channels():
        RecordingChannel.failures = [failure]
        Dispatcher("d1").run_once()
    return Delivery.objects.get(pk=original.pk)


def test_it_copies_a_failed_urgent_message_to_the_other_channels_at_once(person):
    before = timezone.now()
    original = fail_urgent_sms(person, TemporaryFailure("provider 503"))
    copies = Delivery.objects.exclude(pk=original.pk).order_by("channel")
    assert [(c.channel, c.idempotency_key, c.priority, c.state) for c in copies] == [
        ("email", "alert:9:escalate:email", Delivery.URGENT, "pending"),
        ("in_app", "alert:9:escalate:in_app", Delivery.URGENT, "pending"),
    ]
    assert copies[0].address == person.user.email
    assert all(c.recipient_id == person.user.pk and c.due_at <= timezone.now() for c in copies)
    assert all(c.body == "Your session is tomorrow." for c in copies)
    # The original itself is retried on the short urgent cycle, not an hour later.
    assert (original.state, original.attempts) == ("pending", 1)
    assert original.due_at <= before + timedelta(seconds=6)


def test_it_audits_the_escalation_without_the_message(person):
    original = fail_urgent_sms(person, TemporaryFailure("provider 503"))
    event = AuditEvent.objects.get(action="escalated")
    assert (event.object_type, event.object_id) == ("Delivery", str(original.pk))
    assert event.practice_id == person.practice_id
    assert event.actor_label == "dispatcher"
    assert event.detail["error"] == "TemporaryFailure"
    assert sorted(c["channel"] for c in event.detail["copies"]) == ["email", "in_app"]
    assert "session" not in str(event.detail)


def test_it_escalates_a_permanent_failure_too(person):
    original = fail_urgent_sms(person, PermanentFailure("invalid number"))
    assert original.state == "dead"
    assert Delivery.objects.filter(idempotency_key__startswith="alert:9:escalate:").count() == 2


def test_it_adds_nothing_when_the_same_alert_fails_again(person):
    original = fail_urgent_sms(person, TemporaryFailure("provider 503"))
    Delivery.objects.filter(pk=original.pk).update(due_at=timezone.now())
    with fake_channels():
        RecordingChannel.failures = [TemporaryFailure("provider 503")]
        Dispatcher("d1").run_once()  # the urgent copies and the original all go again
    assert Delivery.objects.filter(idempotency_key__startswith="alert:9:escalate:").count() == 2
    assert AuditEvent.objects.filter(action="escalated").count() == 1


def test_it_does_not_bounce_a_failed_copy_back_to_the_channel_that_failed_first(person):
    fail_urgent_sms(person, TemporaryFailure("provider 503"))
    email_copy = Delivery.objects.get(idempotency_key="alert:9:escalate:email")
    with fake_channels():
        RecordingChannel.failures = [TemporaryFailure("SMTP 451")]
        Dispatcher("d1").run_once()
    email_copy.refresh_from_db()
    assert email_copy.attempts == 1
    keys = set(Delivery.objects.values_list("idempotency_key", flat=True))
    assert keys == {"alert:9", "alert:9:escalate:email", "alert:9:escalate:in_app"}


def test_it_does_not_escalate_an_ordinary_delivery(person):
    add(person.practice, "reminder:1", recipient=person.user)
    with fake_channels():
        RecordingChannel.failures = [TemporaryFailure("later")]
        Dispatcher("d1").run_once()
    assert Delivery.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="escalat").exists()


def test_it_says_so_loudly_when_there_is_nowhere_else_to_send(caplog):
    home = factories.practice()
    add(home, "alert:nobody", urgent=True)  # no recipient: no other channel
    with fake_channels():
        RecordingChannel.failures = [TemporaryFailure("down")]
        Dispatcher("d1").run_once()
    assert AuditEvent.objects.filter(action="escalation_failed").count() == 1
    assert "no other channel to escalate to" in caplog.text


def test_it_calls_every_registered_hook_even_when_one_fails(person):
    calls = []

    def next_on_rota(delivery, error):
        calls.append((delivery.idempotency_key, type(error).__name__))

    def broken(delivery, error):
        raise RuntimeError("rota unavailable")

    outbox.on_urgent_failure(broken)
    outbox.on_urgent_failure(next_on_rota)
    try:
        fail_urgent_sms(person, TemporaryFailure("provider 503"))
    finally:
        outbox.remove_urgent_failure_hook(broken)
        outbox.remove_urgent_failure_hook(next_on_rota)
    assert calls == [("alert:9", "TemporaryFailure")]
    assert Delivery.objects.filter(idempotency_key__startswith="alert:9:escalate:").count() == 2
    assert outbox.urgent_failure_hooks() == [outbox.escalate_to_other_channels,
                                             alerts.escalate_failed_alert]
