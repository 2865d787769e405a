"""Only the people an alert was sent to and the client's own clinician may open it or
acknowledge it; everyone else (other clinicians, other practices, clients, admins it was not
sent to) is told it does not exist, and nothing is recorded or changed."""

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
def w():
    world = f.world()
    agreement = f.agreement(world.client, crisis_route="on_call")
    AgreementSignature.objects.create(agreement=agreement, signed_by=world.client.user,
                                      version=1)
    world.on_call = f.clinician(world.practice, on_call_eligible=True)
    now = timezone.now()
    OnCallShift.objects.create(practice=world.practice, clinician=world.on_call,
                               starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
    world.alert = send_from_client(world.client.user, URGENT).alert
    return world


def reads():
    return AuditEvent.objects.filter(object_type="UrgentAlert", action="view").count()


@pytest.mark.parametrize("who", ["on_call", "clinician"])
def test_the_person_alerted_and_the_clients_own_clinician_may_open_it(client, w, who):
    user = getattr(w, who).user
    f.verified_login(client, user)
    assert client.get(f"/alerts/{w.alert.pk}/").status_code == 200
    assert w.alert.pk in [row["pk"] for row in client.get("/alerts/").context["rows"]]


def test_an_admin_it_was_escalated_to_may_open_it(client, w):
    alerts.escalate_due(timezone.now() + timedelta(minutes=11))
    assert w.alert.notices.filter(recipient=w.admin).exists()
    f.verified_login(client, w.admin)
    assert client.get(f"/alerts/{w.alert.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["admin", "other_clinician", "foreign_clinician",
                                 "foreign_admin", "client", "other_client", "foreign_client"])
def test_everyone_else_is_told_it_does_not_exist(client, w, who):
    person = getattr(w, who)
    user = getattr(person, "user", person)
    f.verified_login(client, user)
    assert client.get(f"/alerts/{w.alert.pk}/").status_code == 404
    assert client.post(f"/alerts/{w.alert.pk}/acknowledge/").status_code == 404
    listed = client.get("/alerts/")
    assert listed.status_code == 404 or w.alert.pk not in [r["pk"] for r in listed.context["rows"]]
    assert reads() == 0
    w.alert.refresh_from_db()
    assert w.alert.state == UrgentAlert.State.OPEN


def test_clients_have_no_alert_pages_at_all(client, w):
    f.verified_login(client, w.client.user)
    assert client.get("/alerts/").status_code == 404


def test_the_rules_refuse_too_not_only_the_pages(w):
    from django.http import Http404

    with pytest.raises(Http404):
        alerts.acknowledge(w.other_clinician.user, w.alert)
    with pytest.raises(Http404):
        alerts.view_alert(w.foreign_admin, w.alert)
    assert alerts.may_see(w.on_call.user, w.alert)
    assert not alerts.may_see(w.admin, w.alert)


def test_it_asks_anonymous_visitors_to_log_in(client, w):
    response = client.get(f"/alerts/{w.alert.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]
