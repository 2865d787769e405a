"""A planner that fails is logged and the others still run, so a broken schedule can never
stop urgent alerts from escalating; and by default alerts are escalated first."""

import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.crisis import alerts
from interlude.crisis.models import OnCallShift
from interlude.inbox.services import send_from_client
from interlude.outreach.planning import run_planners
from tests import factories as f

pytestmark = pytest.mark.django_db

URGENT = "I have the pills in my hand and I am going to take them all tonight"
ESCALATE = "interlude.crisis.alerts.escalate_due"
BROKEN = f"{__name__}.broken_planner"
calls = []


def broken_planner(now):
    calls.append(now)
    raise RuntimeError("a schedule that cannot be planned")


@pytest.fixture
def due_alert():
    """An alert sent to the first of two clinicians on call, not acknowledged in time."""
    assert triage.assess(URGENT).level == "urgent"
    practice = f.practice()
    now = timezone.now()
    for position in (1, 2):
        OnCallShift.objects.create(practice=practice, position=position,
                                   clinician=f.clinician(practice, on_call_eligible=True),
                                   starts_at=now - timedelta(hours=1),
                                   ends_at=now + timedelta(hours=8))
    person = f.client(f.clinician(practice))
    agreement = f.agreement(person, crisis_route="on_call")
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    alert = send_from_client(person.user, URGENT, at=now).alert
    assert alert.notices.count() == 1
    calls.clear()
    return alert, now + alerts.escalate_after() + timedelta(seconds=1)


def test_a_due_alert_escalates_after_a_planner_that_fails(due_alert, caplog):
    alert, later = due_alert
    with override_settings(INTERLUDE_PLANNERS=[BROKEN, ESCALATE]), \
            caplog.at_level(logging.ERROR):
        assert run_planners(later) == 1
    assert calls == [later]
    assert alert.notices.count() == 2
    assert any(BROKEN in record.getMessage() for record in caplog.records)


def test_a_planner_that_cannot_be_imported_does_not_stop_the_others(due_alert):
    alert, later = due_alert
    with override_settings(INTERLUDE_PLANNERS=["interlude.nowhere.plan", BROKEN, ESCALATE]):
        assert run_planners(later) == 1
    assert alert.notices.count() == 2


def test_the_default_order_escalates_alerts_first():
    assert settings.INTERLUDE_PLANNERS[0] == ESCALATE
