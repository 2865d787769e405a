"""An urgent message is never held, and the very next screen is the crisis screen: the
client's safety plan, the crisis lines for where they are, and what happens next according
to the alert (sent to someone now, or nobody on duty and the crisis line first)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from interlude.crisis.models import OnCallShift, UrgentAlert
from interlude.crisis.safety_plans import save_plan
from interlude.inbox.models import Message
from tests import factories
from tests.appointment_support import freeze

pytestmark = pytest.mark.django_db

URGENT = "I have the pills in my hand and I am going to take them all tonight"
SATURDAY = datetime(2026, 11, 28, 12, tzinfo=UTC)
MONDAY_10_IN_LOS_ANGELES = datetime(2026, 11, 30, 18, tzinfo=UTC)


def rivera_and_ana(**agreement_fields):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera")
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana")
    agreement = factories.agreement(ana, **agreement_fields)
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    save_plan(rivera.user, ana, {"warning_signs": "Counting the pills",
                                 "help_contacts": "Call my sister Marta"})
    return rivera, ana


def send_urgent(client, user):
    assert triage.assess(URGENT).level == "urgent"
    factories.verified_login(client, user)
    response = client.post(reverse("my_messages"), {"body": URGENT})
    assert response.status_code == 302
    message = Message.objects.get(sender=Message.Sender.CLIENT)
    assert response["Location"] == reverse("message_sent", args=[message.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    return message, page.content.decode()


def test_it_sends_to_the_clinician_on_call_and_shows_the_plan_and_lines(client, monkeypatch):
    freeze(monkeypatch, SATURDAY)
    rivera, ana = rivera_and_ana(crisis_route="on_call")
    on_call = factories.clinician(rivera.practice, name="Dr. Okafor", on_call_eligible=True)
    OnCallShift.objects.create(practice=rivera.practice, clinician=on_call,
                               starts_at=SATURDAY - timedelta(hours=1),
                               ends_at=SATURDAY + timedelta(hours=12))
    message, page = send_urgent(client, ana.user)
    assert message.released_at == SATURDAY and message.held_until is None
    alert = UrgentAlert.objects.get(message=message)
    assert alert.state == UrgentAlert.State.OPEN
    assert ("Your message has been sent to the clinician on call now. They will contact you as "
            "soon as they can, but it may not be straight away.") in page
    assert "Counting the pills" in page and "Call my sister Marta" in page
    assert 'href="tel:988"' in page
    assert "Nobody is on duty" not in page
    # Sent outside office hours, yet no automatic reply: urgent messages are never held.
    assert not Message.objects.filter(sender=Message.Sender.SYSTEM).exists()


def test_it_sends_to_the_clinician_in_their_crisis_hours(client, monkeypatch):
    freeze(monkeypatch, MONDAY_10_IN_LOS_ANGELES)
    _rivera, ana = rivera_and_ana(crisis_route="clinician",
                                  crisis_hours=[[0, "09:00", "17:00"]])
    message, page = send_urgent(client, ana.user)
    assert UrgentAlert.objects.get(message=message).state == UrgentAlert.State.OPEN
    assert "Your message has been sent to your clinician, Dr. Rivera now." in page
    assert "Counting the pills" in page


def test_it_says_plainly_nobody_is_on_duty_and_puts_the_crisis_line_first(client, monkeypatch):
    freeze(monkeypatch, SATURDAY)
    _rivera, ana = rivera_and_ana(crisis_route="on_call")  # nobody on the rota
    message, page = send_urgent(client, ana.user)
    assert UrgentAlert.objects.get(message=message).state == UrgentAlert.State.UNROUTED
    message.refresh_from_db()
    assert message.is_pinned
    assert "Nobody is on duty right now to read your message." in page
    assert "pinned so that Dr. Rivera reads it first when they are next available" in page
    assert page.index('href="tel:988"') < page.index("Counting the pills")
    assert "has been sent to" not in page


def test_it_treats_the_crisis_resources_route_as_nobody_on_duty(client, monkeypatch):
    freeze(monkeypatch, MONDAY_10_IN_LOS_ANGELES)
    _rivera, ana = rivera_and_ana(crisis_route="resources")
    message, page = send_urgent(client, ana.user)
    assert UrgentAlert.objects.get(message=message).state == UrgentAlert.State.UNROUTED
    assert "Nobody is on duty right now to read your message." in page


def test_it_records_the_read_of_the_message_and_of_the_safety_plan(client, monkeypatch):
    freeze(monkeypatch, SATURDAY)
    _rivera, ana = rivera_and_ana()
    message, _page = send_urgent(client, ana.user)
    plan_reads = AuditEvent.objects.filter(object_type="SafetyPlan", action="view",
                                           actor=ana.user)
    assert plan_reads.count() == 1
    sent_reads = AuditEvent.objects.filter(object_type="Message", action="view",
                                           object_id=str(message.pk), actor=ana.user)
    assert [e.detail for e in sent_reads] == [{"page": "sent", "level": "urgent"}]
    assert all(e.client_id_ref == ana.pk for e in [*plan_reads, *sent_reads])
