"""An urgent text sent while the inbox is closed.

When the signed agreement names someone for crises (the on-call rota here), the message is
stored and the alert goes to them: refusing it would leave the person nobody. When nothing is
signed, the text is not stored, but the attempt is audited without its words, counts in the
client's risk history, and the page shows the crisis screen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from interlude.crisis.models import OnCallShift, UrgentAlert
from interlude.inbox import staff
from interlude.inbox.models import Message
from interlude.inbox.services import InboxClosed, send_from_client
from interlude.outreach.models import Delivery
from tests import factories as f

pytestmark = pytest.mark.django_db

URGENT = "I have the pills in my hand and I am going to take them all tonight"
ROUTINE = "Could we move Thursday's session to 4pm?"


def client_with_on_call(*, signed):
    """A client whose agreement keeps the inbox closed and sends crises to the rota, and the
    clinician on call now."""
    practice = f.practice()
    person = f.client(f.clinician(practice), phone="+15555550100")
    agreement = f.agreement(person, inbox_open=False, crisis_route="on_call")
    if signed:
        AgreementSignature.objects.create(agreement=agreement, signed_by=person.user,
                                          version=1)
    on_call = f.clinician(practice, on_call_eligible=True)
    now = timezone.now()
    OnCallShift.objects.create(practice=practice, clinician=on_call,
                               starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8))
    return person, on_call


@pytest.fixture(autouse=True)
def engine_agrees():
    assert triage.assess(URGENT).level == "urgent"
    assert triage.assess(ROUTINE).level == "routine"


# --- (a) signed, with someone named for crises ----------------------------------------------

def test_it_stores_the_urgent_text_and_alerts_the_clinician_on_call():
    person, on_call = client_with_on_call(signed=True)
    outcome = send_from_client(person.user, URGENT)
    message = Message.objects.get(thread__client=person)
    assert message == outcome.message
    assert (message.body, message.level) == (URGENT, Message.Level.URGENT)
    assert message.released_at is not None and message.held_until is None
    alert = UrgentAlert.objects.get(message=message)
    assert (alert.route, alert.state) == ("on_call", UrgentAlert.State.OPEN)
    assert list(alert.notices.values_list("recipient", flat=True)) == [on_call.user.pk]
    rows = Delivery.objects.filter(ref_type="urgent_alert", ref_id=str(alert.pk))
    assert rows.filter(recipient=on_call.user, channel="in_app",
                       priority=Delivery.URGENT).exists()


def test_it_still_refuses_a_routine_text_to_the_closed_inbox():
    person, _on_call = client_with_on_call(signed=True)
    with pytest.raises(InboxClosed) as closed:
        send_from_client(person.user, ROUTINE)
    assert (closed.value.reason, closed.value.urgent) == ("channel_closed", False)
    assert not Message.objects.exists()
    assert not AuditEvent.objects.filter(action="urgent_not_sent").exists()


def test_the_page_sends_it_and_says_the_clinician_on_call_has_it(client):
    person, _on_call = client_with_on_call(signed=True)
    f.verified_login(client, person.user)
    response = client.post(reverse("my_messages"), {"body": URGENT}, follow=True)
    message = Message.objects.get(thread__client=person)
    assert response.redirect_chain == [(reverse("message_sent", args=[message.pk]), 302)]
    assert "Your message has been sent to the clinician on call now." in (
        response.content.decode())


# --- (b) unsigned: nobody was agreed on -------------------------------------------------------

def test_an_unsigned_agreement_refuses_it_with_the_urgent_triage_and_stores_nothing():
    person, _on_call = client_with_on_call(signed=False)
    assert staff.last_urgent_at(person) is None
    with pytest.raises(InboxClosed) as closed:
        send_from_client(person.user, URGENT)
    assert closed.value.urgent and closed.value.triage_result.level == "urgent"
    assert closed.value.reason == "not_signed"
    assert not Message.objects.exists()
    assert not UrgentAlert.objects.exists()
    # No alert went anywhere; only the clinician's notice that the client tried.
    assert list(Delivery.objects.values_list("kind", flat=True)) == ["urgent_not_sent"]


def test_the_refused_attempt_is_audited_without_its_words():
    person, _on_call = client_with_on_call(signed=False)
    with pytest.raises(InboxClosed):
        send_from_client(person.user, URGENT)
    event = AuditEvent.objects.get(action="urgent_not_sent")
    assert (event.actor, event.object_type, event.object_id, event.client_id_ref) == (
        person.user, "Client", str(person.pk), person.pk)
    assert event.detail == {"reason": "not_signed"}
    assert "pills" not in str(event.detail)


def test_the_refused_attempt_counts_in_the_risk_history():
    person, _on_call = client_with_on_call(signed=False)
    with pytest.raises(InboxClosed):
        send_from_client(person.user, URGENT)
    event = AuditEvent.objects.get(action="urgent_not_sent")
    assert staff.last_urgent_at(person) == event.at


# --- (c) the page -----------------------------------------------------------------------------

def test_the_page_shows_the_crisis_screen_for_the_unsigned_agreement(client):
    person, _on_call = client_with_on_call(signed=False)
    f.verified_login(client, person.user)
    response = client.post(reverse("my_messages"), {"body": URGENT})
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Your message was not sent" in page
    assert 'href="tel:988"' in page
    assert "pills" not in page
    assert not Message.objects.exists()
    assert AuditEvent.objects.filter(action="urgent_not_sent", client_id_ref=person.pk).exists()
