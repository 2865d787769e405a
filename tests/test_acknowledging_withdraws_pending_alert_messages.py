"""Once someone acknowledges an alert nobody else needs telling: its alert messages not yet
sent are withdrawn (cancelled); those already sent stay as they were, and other alerts' messages
are not touched."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.crisis import alerts
from interlude.crisis.models import OnCallShift
from interlude.inbox.services import send_from_client
from interlude.outreach.models import Delivery
from tests import factories as f

pytestmark = pytest.mark.django_db

URGENT = "I have the pills in my hand and I am going to take them all tonight"


@pytest.fixture
def practice():
    """A practice with two clinicians on call now, and a client of its who sends crises to
    the rota."""
    practice = f.practice()
    now = timezone.now()
    for position in (1, 2):
        OnCallShift.objects.create(practice=practice, position=position,
                                   clinician=f.clinician(practice, on_call_eligible=True),
                                   starts_at=now - timedelta(hours=1),
                                   ends_at=now + timedelta(hours=8))
    return practice


def alert_in(practice):
    assert triage.assess(URGENT).level == "urgent"
    person = f.client(f.clinician(practice))
    agreement = f.agreement(person, crisis_route="on_call")
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    return send_from_client(person.user, URGENT).alert


def rows_of(alert):
    return Delivery.objects.filter(ref_type="urgent_alert", ref_id=str(alert.pk))


def states(alert):
    return dict(rows_of(alert).values_list("idempotency_key", "state"))


def test_acknowledging_cancels_pending_alert_messages_and_leaves_sent_ones(practice):
    alert = alert_in(practice)
    # Nobody acknowledged in time: the alert went on to the second person as well.
    alerts.escalate_due(timezone.now() + alerts.escalate_after() + timedelta(seconds=1))
    assert rows_of(alert).count() == 4
    sent = rows_of(alert).get(channel="in_app", recipient=alert.notices.get(step=0).recipient)
    Delivery.objects.filter(pk=sent.pk).update(state=Delivery.State.SENT,
                                               sent_at=timezone.now())
    assert rows_of(alert).filter(state=Delivery.State.PENDING).count() == 3

    assert alerts.acknowledge(sent.recipient, alert) is True

    after = states(alert)
    assert after.pop(sent.idempotency_key) == Delivery.State.SENT
    assert set(after.values()) == {Delivery.State.CANCELLED}


def test_acknowledging_leaves_other_alerts_messages_pending(practice):
    first = alert_in(practice)
    second = alert_in(practice)
    before = states(second)
    assert set(before.values()) == {Delivery.State.PENDING}

    alerts.acknowledge(first.notices.get(step=0).recipient, first)

    assert set(states(first).values()) == {Delivery.State.CANCELLED}
    assert states(second) == before


def test_acknowledging_through_the_page_withdraws_them_too(client, practice):
    alert = alert_in(practice)
    user = alert.notices.get(step=0).recipient
    f.verified_login(client, user)
    client.post(f"/alerts/{alert.pk}/acknowledge/")
    assert set(states(alert).values()) == {Delivery.State.CANCELLED}

