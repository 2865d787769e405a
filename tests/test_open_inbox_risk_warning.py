"""Opening the inbox for a client who has sent urgent messages before needs a second thought:
the agreement editor warns (an open inbox is read only in office hours) and asks for an
explicit confirmation, refuses without it, and audits it."""

import pytest

from interlude.agreements import services
from interlude.agreements.models import ConnectionAgreement
from interlude.audit.models import AuditEvent
from interlude.crisis.models import UrgentAlert
from interlude.inbox.models import Message, Thread
from tests import factories as f
from tests.inbox_staff_support import at
from tests.test_agreement_editor_presets import form_with

pytestmark = pytest.mark.django_db

WARNING = "This client has sent urgent messages before (last on 4 Mar 2030)."
REFUSAL = ("This client has sent urgent messages before: tick the confirmation to open the "
           "inbox, or leave the inbox closed.")


LAST_URGENT = at("2030-03-04 09:00")


def message(client_, level, when=LAST_URGENT):
    thread, _ = Thread.objects.get_or_create(practice=client_.practice, client=client_,
                                             clinician=client_.clinician)
    return Message.objects.create(thread=thread, sender="client", body="…", level=level,
                                  created_at=when, released_at=when)


def url(client_):
    return f"/clients/{client_.pk}/agreements/new/"


@pytest.fixture
def risky():
    """A client whose inbox is closed (psychodynamic preset) and who sent an urgent message."""
    w = f.world()
    f.agreement(w.client, inbox_open=False)
    message(w.client, "urgent", at("2030-01-10 23:00"))
    message(w.client, "urgent", at("2030-03-04 09:00"))
    message(w.client, "elevated", at("2030-03-05 09:00"))
    return w


def opening(django_client, w, **extra):
    f.verified_login(django_client, w.clinician.user)
    data = form_with(django_client.get(url(w.client), {"preset": "cbt"}), "preset")
    assert data.get("inbox_open") == ["on"]
    data.update(extra)
    return django_client.post(url(w.client), data)


def test_the_editor_warns_with_the_date_of_the_last_urgent_message(client, risky):
    f.verified_login(client, risky.clinician.user)
    page = client.get(url(risky.client), {"preset": "cbt"}).content.decode()
    assert WARNING in page
    assert "An open inbox is read only in your office hours" in page
    assert 'name="confirm_open_inbox_risk"' in page


def test_it_refuses_to_open_the_inbox_without_the_confirmation(client, risky):
    response = opening(client, risky)

    assert response.status_code == 200
    assert response.context["form"].errors["confirm_open_inbox_risk"] == [REFUSAL]
    assert ConnectionAgreement.objects.filter(client=risky.client).count() == 1
    assert not AuditEvent.objects.filter(action="confirm_open_inbox_risk").exists()


def test_it_saves_and_audits_the_confirmation(client, risky):
    response = opening(client, risky, confirm_open_inbox_risk="on")

    assert response.status_code == 302
    agreement = ConnectionAgreement.objects.get(client=risky.client, version=2)
    assert agreement.inbox_open
    event = AuditEvent.objects.get(action="confirm_open_inbox_risk")
    assert (event.actor, event.object_type, event.object_id) == (
        risky.clinician.user, "ConnectionAgreement", str(agreement.pk))
    assert event.client_id_ref == risky.client.pk
    assert event.detail["version"] == 2
    assert event.detail["last_urgent_at"].startswith("2030-03-04T17:00:00")


def test_keeping_the_inbox_closed_needs_no_confirmation(client, risky):
    f.verified_login(client, risky.clinician.user)
    data = form_with(client.get(url(risky.client), {"preset": "psychodynamic"}), "preset")
    assert "inbox_open" not in data

    response = client.post(url(risky.client), data)

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="confirm_open_inbox_risk").exists()


def test_an_inbox_already_open_is_not_asked_about_again(client):
    w = f.world()
    f.agreement(w.client, inbox_open=True)
    message(w.client, "urgent")
    f.verified_login(client, w.clinician.user)

    page = client.get(url(w.client), {"preset": "cbt"})
    response = client.post(url(w.client), form_with(page, "preset"))

    assert "confirm_open_inbox_risk" not in page.content.decode()
    assert response.status_code == 302


def test_a_first_agreement_that_opens_the_inbox_asks_too(client):
    w = f.world()
    message(w.client, "urgent")
    response = opening(client, w)
    assert response.context["form"].errors["confirm_open_inbox_risk"] == [REFUSAL]


def test_a_client_without_urgent_messages_is_not_asked(client):
    w = f.world()
    f.agreement(w.client, inbox_open=False)
    message(w.client, "elevated")
    response = opening(client, w)
    assert response.status_code == 302


def test_an_urgent_alert_counts_as_risk_history(client):
    w = f.world()
    f.agreement(w.client, inbox_open=False)
    flagged = message(w.client, "elevated")
    UrgentAlert.objects.create(practice=w.practice, client=w.client, message=flagged,
                               route="resources", created_at=at("2030-03-04 09:00"))
    response = opening(client, w)
    assert response.context["form"].errors["confirm_open_inbox_risk"] == [REFUSAL]


def test_the_rule_holds_outside_the_editor_too(db):
    w = f.world()
    message(w.client, "urgent")
    fields = services.initial_fields(w.client, "cbt")

    with pytest.raises(services.OpenInboxRiskUnconfirmed):
        services.create_agreement(w.clinician.user, w.client, fields, preset="cbt")
    assert not ConnectionAgreement.objects.exists()

    agreement = services.create_agreement(w.clinician.user, w.client, fields, preset="cbt",
                                          confirm_open_inbox_risk=True)
    assert agreement.inbox_open
    assert AuditEvent.objects.filter(action="confirm_open_inbox_risk").count() == 1
