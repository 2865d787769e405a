"""/alerts/ lists a clinician's alerts, waiting ones first, in a fixed number of queries;
/alerts/<pk>/ shows who the client is, the message and why it is urgent, the route and every
step so far, and records the read."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from interlude.crisis import alerts
from interlude.crisis.models import OnCallShift, UrgentAlert
from interlude.inbox.services import send_from_client
from tests import factories as f

pytestmark = pytest.mark.django_db

URGENT = "I want to kill myself tonight"


class Setting:
    def __init__(self):
        self.practice = f.practice()
        self.own = f.clinician(self.practice, time_zone="America/New_York")
        self.client = self.person("Maya Chen")
        self.on_call = f.clinician(self.practice, name="Dr. Night Owl", on_call_eligible=True)
        self.backup = f.clinician(self.practice, name="Dr. Backup", on_call_eligible=True)
        now = timezone.now()
        for position, clinician in enumerate((self.on_call, self.backup), start=1):
            OnCallShift.objects.create(practice=self.practice, clinician=clinician,
                                       position=position, starts_at=now - timedelta(days=1),
                                       ends_at=now + timedelta(days=1))

    def person(self, name):
        person = f.client(self.own, name=name, phone="+1 213 555 0142",
                          time_zone="America/Los_Angeles")
        agreement = f.agreement(person, crisis_route="on_call")
        AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
        return person

    def alert(self, person=None, at=None):
        return send_from_client((person or self.client).user, URGENT, at=at).alert


@pytest.fixture
def s():
    return Setting()


def test_the_list_shows_waiting_alerts_first_then_the_newest(client, s):
    now = timezone.now()
    old_open = s.alert(s.person("Old Open"), at=now - timedelta(hours=3))
    done = s.alert(s.person("Done"), at=now - timedelta(hours=1))
    alerts.acknowledge(s.on_call.user, done)
    new_open = s.alert(s.person("New Open"), at=now - timedelta(hours=2))
    f.verified_login(client, s.on_call.user)
    response = client.get("/alerts/")
    assert response.status_code == 200
    assert [row["pk"] for row in response.context["rows"]] == [new_open.pk, old_open.pk, done.pk]
    assert response.context["waiting"] == 2
    assert b"Alert about New Open" in response.content
    assert "no-store" in response["Cache-Control"]


def test_the_list_shows_a_clinicians_own_clients_alerts_even_when_nobody_was_on_duty(client, s):
    OnCallShift.objects.all().delete()
    unrouted = s.alert()
    assert unrouted.state == UrgentAlert.State.UNROUTED
    f.verified_login(client, s.own.user)
    rows = client.get("/alerts/").context["rows"]
    assert [(row["pk"], row["own"], row["people"]) for row in rows] == [(unrouted.pk, True, 0)]
    f.verified_login(client, s.on_call.user)
    assert client.get("/alerts/").context["rows"] == []


def test_the_list_fetches_a_page_in_a_fixed_number_of_queries(client, s,
                                                              django_assert_num_queries):
    s.alert()
    f.verified_login(client, s.on_call.user)
    client.get("/alerts/")
    with CaptureQueriesContext(connection) as small:
        client.get("/alerts/")
    for n in range(5):
        s.alert(s.person(f"Client {n}"))
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/alerts/")
    assert len(response.context["rows"]) == 6


def test_the_detail_shows_the_client_the_message_its_reasons_and_the_steps(client, s):
    at = datetime(2026, 3, 4, 22, 15, tzinfo=ZoneInfo("America/New_York"))
    OnCallShift.objects.update(starts_at=at - timedelta(days=1), ends_at=at + timedelta(days=1))
    alert = s.alert(at=at)
    alerts.escalate_due(at + timedelta(minutes=10))
    f.verified_login(client, s.backup.user)
    response = client.get(f"/alerts/{alert.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Urgent alert: Maya Chen" in page
    assert 'href="tel:+1 213 555 0142"' in page
    assert "America/Los_Angeles" in page
    assert URGENT in page
    assert "suicidal ideation" in page and "kill myself" in page
    assert "the on-call rota" in page
    steps = response.context["steps"]
    assert [(row["step"], row["who"], row["you"]) for row in steps] == [
        (1, s.on_call.user.full_name, False), (2, s.backup.user.full_name, True)]
    assert "escalated: not acknowledged in time" in steps[1]["why"]
    assert "Acknowledge" in page
    assert "no-store" in response["Cache-Control"]
    # Not the client's own clinician: no link to the plan or the conversation.
    assert f"/clients/{s.client.pk}/safety-plan/" not in page


def test_the_clients_own_clinician_gets_the_safety_plan_and_the_conversation(client, s):
    alert = s.alert()
    f.verified_login(client, s.own.user)
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert f'href="/clients/{s.client.pk}/safety-plan/"' in page
    assert f"/inbox/{alert.message.thread_id}/" in page


def test_reading_an_alert_is_audited_without_the_message(client, s):
    alert = s.alert()
    f.verified_login(client, s.on_call.user)
    client.get(f"/alerts/{alert.pk}/")
    event = AuditEvent.objects.get(object_type="UrgentAlert", action="view")
    assert (event.actor, event.object_id, event.client_id_ref, event.practice_id) == (
        s.on_call.user, str(alert.pk), s.client.pk, s.practice.pk)
    assert event.detail == {"message": alert.message_id, "state": "open"}


def test_the_detail_says_plainly_when_nobody_was_on_duty(client, s):
    OnCallShift.objects.all().delete()
    alert = s.alert()
    f.verified_login(client, s.own.user)
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert "Nobody was on duty for this alert" in page
    assert "Nobody was alerted" in page


def test_an_unknown_alert_is_not_found(client, s):
    f.verified_login(client, s.own.user)
    assert client.get("/alerts/999999/").status_code == 404
