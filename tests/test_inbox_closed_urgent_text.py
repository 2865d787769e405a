"""An urgent text sent while messages are closed is not stored and alerts nobody, so the
client is told so plainly and gets the crisis screen at once: their safety plan and the
crisis lines, and that their clinician will see that they tried."""

import pytest
from django.urls import reverse

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from interlude.crisis.models import UrgentAlert
from interlude.crisis.safety_plans import save_plan
from interlude.inbox.models import Message
from tests import factories

pytestmark = pytest.mark.django_db

URGENT = "I have the pills in my hand and I am going to take them all tonight"


@pytest.fixture
def rivera():
    return factories.clinician(factories.practice(), name="Dr. Rivera")


def post_urgent(client, ana):
    assert triage.assess(URGENT).level == "urgent"
    factories.verified_login(client, ana.user)
    response = client.post(reverse("my_messages"), {"body": URGENT})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return response.content.decode()


def test_it_shows_the_plan_and_lines_and_says_the_message_went_nowhere(client, rivera):
    ana = factories.client(rivera, name="Ana")
    agreement = factories.agreement(ana, inbox_open=False)
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    save_plan(rivera.user, ana, {"coping_strategies": "Walk around the block"})
    page = post_urgent(client, ana)
    assert ("Your message could not be sent, because your agreement does not include "
            "messages. It was not stored.") in page
    assert ("Dr. Rivera will see that you tried to reach them, without your words, when they "
            "next read messages.") in page
    assert "Walk around the block" in page
    assert page.index('href="tel:988"') < page.index("Walk around the block")
    assert not Message.objects.exists() and not UrgentAlert.objects.exists()
    assert AuditEvent.objects.filter(object_type="SafetyPlan", action="view",
                                     actor=ana.user).count() == 1


def test_it_says_messages_open_after_signing_when_the_agreement_is_unsigned(client, rivera):
    ana = factories.client(rivera, name="Ana")
    factories.agreement(ana)
    page = post_urgent(client, ana)
    assert ("Your message could not be sent, because messages are not open until you sign "
            "your agreement. It was not stored.") in page
    assert ("Dr. Rivera will see that you tried to reach them, without your words, when they "
            "next read messages.") in page
    assert "You do not have a safety plan yet." in page
    assert 'href="tel:988"' in page
    assert not Message.objects.exists()
