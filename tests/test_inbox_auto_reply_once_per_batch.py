"""Messages held outside office hours get one automatic reply per held batch: a second message
in the same batch gets none; once the batch is released, the next held message starts a new
batch with a new reply."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.inbox import holding
from interlude.inbox.models import Message
from interlude.outreach.models import Delivery
from tests import factories
from tests.appointment_support import freeze

pytestmark = pytest.mark.django_db

SATURDAY = datetime(2026, 11, 28, 12, tzinfo=UTC)
MONDAY_9_IN_LOS_ANGELES = datetime(2026, 11, 30, 17, tzinfo=UTC)


@pytest.fixture
def ana(client):
    rivera = factories.clinician(factories.practice(), name="Dr. Rivera")
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana")
    agreement = factories.agreement(ana)
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    return ana


def send(client, monkeypatch, at, text, user):
    # Urgent messages are never held: make sure these are not.
    assert triage.assess(text).level == "routine"
    freeze(monkeypatch, at)
    # A fresh login each time: hours apart, the idle session would have ended.
    factories.verified_login(client, user)
    response = client.post(reverse("my_messages"), {"body": text})
    assert response.status_code == 302
    assert response["Location"].startswith("/me/messages/sent/")


def automatic_replies():
    return Message.objects.filter(sender=Message.Sender.SYSTEM).count()


def test_it_replies_once_to_two_held_messages_and_again_to_the_next_batch(client, monkeypatch,
                                                                         ana):
    send(client, monkeypatch, SATURDAY, "First thought about my homework.", ana.user)
    send(client, monkeypatch, SATURDAY + timedelta(hours=3),
         "One more question about the worksheet.", ana.user)
    assert Message.objects.filter(sender=Message.Sender.CLIENT, released_at=None).count() == 2
    assert automatic_replies() == 1
    assert Delivery.objects.filter(kind="inbox_auto_reply").count() == 1

    assert holding.release_due(MONDAY_9_IN_LOS_ANGELES) == 2
    send(client, monkeypatch, SATURDAY + timedelta(days=7), "A new week, a new question.", ana.user)
    assert automatic_replies() == 2
    assert Delivery.objects.filter(kind="inbox_auto_reply").count() == 2
    reply = Message.objects.filter(sender=Message.Sender.SYSTEM).latest("pk")
    assert "Monday 7 December" in reply.body
