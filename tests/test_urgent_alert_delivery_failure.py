"""An alert that cannot be delivered to someone goes to the next person at once, through the
outbox's urgent-failure hook; a repeated failure of an earlier step, or one after the alert was
acknowledged, changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from interlude.crisis import alerts
from interlude.crisis.models import OnCallShift
from interlude.inbox.services import send_from_client
from interlude.outreach import outbox
from interlude.outreach.channels import PermanentFailure, TemporaryFailure
from interlude.outreach.dispatcher import Dispatcher
from interlude.outreach.models import Delivery
from tests import factories as f
from tests.dispatcher_support import RecordingChannel, fake_channels

pytestmark = pytest.mark.django_db

URGENT = "I want to kill myself tonight"


@pytest.fixture
def alert():
    practice = f.practice()
    person = f.client(f.clinician(practice))
    agreement = f.agreement(person, crisis_route="on_call")
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    now = timezone.now()
    for position in (1, 2, 3):
        clinician = f.clinician(practice, on_call_eligible=True)
        OnCallShift.objects.create(practice=practice, clinician=clinician, position=position,
                                   starts_at=now - timedelta(hours=1),
                                   ends_at=now + timedelta(hours=8))
    f.admin(practice)
    return send_from_client(person.user, URGENT).alert


def people(alert):
    return list(alert.notices.order_by("step").values_list("recipient_id", flat=True))


def fail_next_send(failure, *, only=None):
    """Run one dispatcher batch in which the first send to `only` (any channel) fails."""

    def on_send(delivery):
        if only is None or delivery.recipient_id == only:
            RecordingChannel.on_send = None
            raise failure

    with fake_channels():
        RecordingChannel.on_send = on_send
        Dispatcher("d1").run_once()


def test_the_hook_is_registered_with_the_outbox():
    assert alerts.escalate_failed_alert in outbox.urgent_failure_hooks()


@pytest.mark.parametrize("failure", [TemporaryFailure("SMTP 451"), PermanentFailure("550")])
def test_a_failed_delivery_escalates_to_the_next_person_at_once(alert, failure):
    first = people(alert)[0]
    fail_next_send(failure, only=first)
    assert len(people(alert)) == 2
    step = alert.notices.get(step=1)
    assert step.reason == "delivery_failed:rota"
    rows = Delivery.objects.filter(recipient_id=step.recipient_id, ref_type="urgent_alert")
    assert rows.exists()
    assert all(r.priority == Delivery.URGENT and r.due_at <= timezone.now() for r in rows)
    event = AuditEvent.objects.get(object_type="UrgentAlert", action="escalate")
    assert event.detail["why"] == "delivery_failed"


def test_a_repeated_failure_of_an_earlier_step_does_not_skip_the_next_persons_time(alert):
    first = people(alert)[0]
    fail_next_send(TemporaryFailure("SMTP 451"), only=first)
    assert len(people(alert)) == 2
    # The first person's delivery is retried on the short urgent cycle and fails again.
    failed = Delivery.objects.filter(recipient_id=first, state="pending",
                                     ref_type="urgent_alert")
    failed.update(due_at=timezone.now())
    fail_next_send(TemporaryFailure("SMTP 451"), only=first)
    assert len(people(alert)) == 2


def test_a_failure_of_the_current_persons_delivery_moves_on_again(alert):
    fail_next_send(TemporaryFailure("SMTP 451"), only=people(alert)[0])
    fail_next_send(TemporaryFailure("SMTP 451"), only=people(alert)[1])
    assert len(people(alert)) == 3
    assert alert.notices.get(step=2).reason == "delivery_failed:rota"


def test_a_failure_after_acknowledgement_changes_nothing(alert):
    first = people(alert)[0]
    alerts.acknowledge(alert.notices.get(step=0).recipient, alert)
    fail_next_send(TemporaryFailure("SMTP 451"), only=first)
    assert people(alert) == [first]
    assert not AuditEvent.objects.filter(object_type="UrgentAlert", action="escalate").exists()


def test_a_failure_of_another_kind_of_delivery_leaves_alerts_alone(alert):
    delivery = Delivery.objects.filter(ref_type="urgent_alert").first()
    Delivery.objects.filter(pk=delivery.pk).update(kind="scheduled_message")
    delivery.refresh_from_db()
    alerts.escalate_failed_alert(delivery, TemporaryFailure("x"))
    assert len(people(alert)) == 1
