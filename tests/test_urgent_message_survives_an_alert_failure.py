"""An urgent message is stored before its alert is raised: if raising the alert fails, the
message is still there (released and pinned) and the send returns; the planner then raises
the missing alert, once."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.crisis import alerts
from interlude.crisis.models import AlertNotice, OnCallShift, UrgentAlert
from interlude.inbox.models import Message
from interlude.inbox.services import send_from_client
from interlude.outreach.models import Delivery
from tests import factories as f

pytestmark = pytest.mark.django_db

URGENT = "I have the pills in my hand and I am going to take them all tonight"
SENT_AT = timezone.now().replace(microsecond=0)


class AlertingDown(RuntimeError):
    pass


def refuse(*_args, **_kwargs):
    raise AlertingDown("alerting is down")


@pytest.fixture
def person():
    """A client whose signed agreement sends crises to the on-call rota, with someone on it."""
    practice = f.practice()
    person = f.client(f.clinician(practice))
    agreement = f.agreement(person, crisis_route="on_call")
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    OnCallShift.objects.create(practice=practice, clinician=f.clinician(practice,
                                                                        on_call_eligible=True),
                               starts_at=SENT_AT - timedelta(hours=1),
                               ends_at=SENT_AT + timedelta(hours=8))
    return person


def send_while_alerting_fails(monkeypatch, person, failing="raise_alert"):
    assert triage.assess(URGENT).level == "urgent"
    with monkeypatch.context() as patch:
        patch.setattr(alerts, failing, refuse)
        return send_from_client(person.user, URGENT, at=SENT_AT)


def test_the_message_is_stored_released_and_pinned_when_raising_the_alert_fails(
        monkeypatch, person):
    outcome = send_while_alerting_fails(monkeypatch, person)
    assert outcome.alert is None
    message = Message.objects.get(thread__client=person)
    assert message == outcome.message
    assert (message.body, message.level) == (URGENT, Message.Level.URGENT)
    assert (message.released_at, message.held_until) == (SENT_AT, None)
    assert message.pinned_at == SENT_AT and message.is_pinned
    assert not UrgentAlert.objects.exists()


def test_a_failure_halfway_through_leaves_no_half_made_alert(monkeypatch, person):
    send_while_alerting_fails(monkeypatch, person, failing="_notify")
    assert not UrgentAlert.objects.exists()
    assert not Delivery.objects.filter(ref_type="urgent_alert").exists()
    assert Message.objects.get(thread__client=person).is_pinned


def test_the_planner_raises_the_missing_alert_exactly_once(monkeypatch, person):
    message = send_while_alerting_fails(monkeypatch, person).message
    later = SENT_AT + timedelta(minutes=1)

    assert alerts.escalate_due(later) == 1

    alert = UrgentAlert.objects.get(message=message)
    assert (alert.state, alert.route, alert.created_at) == (
        UrgentAlert.State.OPEN, "on_call", later)
    on_call = OnCallShift.objects.get().clinician.user
    assert list(alert.notices.values_list("recipient", flat=True)) == [on_call.pk]
    assert Delivery.objects.filter(ref_type="urgent_alert", recipient=on_call,
                                   priority=Delivery.URGENT).exists()
    deliveries = Delivery.objects.count()

    assert alerts.escalate_due(later + timedelta(minutes=2)) == 0

    assert UrgentAlert.objects.count() == 1
    assert AlertNotice.objects.count() == 1
    assert Delivery.objects.count() == deliveries


def test_the_planner_leaves_alone_a_missing_alert_older_than_a_day(monkeypatch, person):
    send_while_alerting_fails(monkeypatch, person)
    assert alerts.escalate_due(SENT_AT + alerts.RECHECK + timedelta(minutes=1)) == 0
    assert not UrgentAlert.objects.exists()


def test_the_failure_is_logged_without_the_message_text(monkeypatch, person, caplog):
    with caplog.at_level(logging.DEBUG):
        send_while_alerting_fails(monkeypatch, person)
    assert any("alert" in record.getMessage() for record in caplog.records)
    assert not any("pills" in record.getMessage() for record in caplog.records)
