"""Acknowledging an alert (POST) takes it on: it is audited, stops the escalation, and a second
acknowledgement changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from interlude.crisis import alerts
from interlude.crisis.models import OnCallShift, UrgentAlert
from interlude.inbox.services import send_from_client
from tests import factories as f

pytestmark = pytest.mark.django_db

URGENT = "I want to kill myself tonight"


@pytest.fixture
def alert():
    practice = f.practice()
    person = f.client(f.clinician(practice))
    agreement = f.agreement(person, crisis_route="on_call")
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    now = timezone.now()
    for position in (1, 2):
        OnCallShift.objects.create(practice=practice, position=position,
                                   clinician=f.clinician(practice, on_call_eligible=True),
                                   starts_at=now - timedelta(hours=1),
                                   ends_at=now + timedelta(hours=8))
    return send_from_client(person.user, URGENT).alert


def first_person(alert):
    return alert.notices.get(step=0).recipient


def test_acknowledging_takes_the_alert_on_and_is_audited(client, alert):
    user = first_person(alert)
    f.verified_login(client, user)
    response = client.post(f"/alerts/{alert.pk}/acknowledge/", follow=True)
    assert response.redirect_chain[-1][0] == f"/alerts/{alert.pk}/"
    assert b"Alert acknowledged" in response.content
    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by, alert.escalate_at) == (
        UrgentAlert.State.ACKNOWLEDGED, user, None)
    assert alert.acknowledged_at is not None
    event = AuditEvent.objects.get(object_type="UrgentAlert", action="acknowledge")
    assert (event.actor, event.object_id, event.client_id_ref) == (
        user, str(alert.pk), alert.client_id)
    assert event.detail == {"was": "open", "steps": 1}


def test_acknowledging_stops_the_escalation(client, alert):
    f.verified_login(client, first_person(alert))
    client.post(f"/alerts/{alert.pk}/acknowledge/")
    assert alerts.escalate_due(timezone.now() + timedelta(hours=1)) == 0
    assert alert.notices.count() == 1


def test_a_second_acknowledgement_changes_nothing(client, alert):
    user = first_person(alert)
    f.verified_login(client, user)
    client.post(f"/alerts/{alert.pk}/acknowledge/")
    alert.refresh_from_db()
    first_at = alert.acknowledged_at
    response = client.post(f"/alerts/{alert.pk}/acknowledge/", follow=True)
    assert b"acknowledged already" in response.content
    alert.refresh_from_db()
    assert alert.acknowledged_at == first_at
    assert AuditEvent.objects.filter(action="acknowledge").count() == 1


def test_the_clients_own_clinician_may_acknowledge_an_unrouted_alert(client):
    practice = f.practice()
    own = f.clinician(practice)
    person = f.client(own)
    agreement = f.agreement(person, crisis_route="resources")
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    alert = send_from_client(person.user, URGENT).alert
    assert alert.state == UrgentAlert.State.UNROUTED
    f.verified_login(client, own.user)
    client.post(f"/alerts/{alert.pk}/acknowledge/")
    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by) == (UrgentAlert.State.ACKNOWLEDGED, own.user)
    assert AuditEvent.objects.get(action="acknowledge").detail == {"was": "unrouted", "steps": 0}


def test_acknowledging_needs_a_post(client, alert):
    f.verified_login(client, first_person(alert))
    assert client.get(f"/alerts/{alert.pk}/acknowledge/").status_code == 405
    alert.refresh_from_db()
    assert alert.state == UrgentAlert.State.OPEN
