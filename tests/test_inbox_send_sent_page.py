"""After sending, the client lands on a page for that message: a held one says when it will
be read (in the client's time) and what the automatic reply said; a delivered one says so and
repeats the agreement's promise."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from interlude.agreements.models import AgreementSignature
from interlude.inbox.models import Message
from tests import factories
from tests.appointment_support import freeze

pytestmark = pytest.mark.django_db

SATURDAY = datetime(2026, 11, 28, 12, tzinfo=UTC)
MONDAY_10_IN_LOS_ANGELES = datetime(2026, 11, 30, 18, tzinfo=UTC)


@pytest.fixture
def ana(client):
    rivera = factories.clinician(factories.practice(), name="Dr. Rivera", pronoun="she")
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana", time_zone="Europe/Madrid", country="ES",
                           region="")
    agreement = factories.agreement(ana, inbox_response_business_days=2)
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    factories.verified_login(client, ana.user)
    return ana


def send_and_follow(client, text):
    response = client.post(reverse("my_messages"), {"body": text})
    assert response.status_code == 302
    message = Message.objects.filter(sender=Message.Sender.CLIENT).latest("pk")
    assert response["Location"] == reverse("message_sent", args=[message.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    return message, page.content.decode()


def test_it_says_when_a_held_message_will_be_read(client, monkeypatch, ana):
    freeze(monkeypatch, SATURDAY)
    message, page = send_and_follow(client, "Can we talk about my homework next time?")
    assert message.released_at is None
    assert message.held_until == datetime(2026, 11, 30, 17, tzinfo=UTC)
    assert ("Your message is waiting for Dr. Rivera&#x27;s reading hours. It will be read "
            "from Monday 30 November at 18:00 your time.") in page
    assert "Automatic reply" in page
    assert ("Dr. Rivera is not reading messages right now; your message will be read from "
            "Monday 30 November at 18:00 your time.") in page


def test_it_says_a_message_inside_hours_was_delivered_now_with_the_promise(client, monkeypatch,
                                                                          ana):
    freeze(monkeypatch, MONDAY_10_IN_LOS_ANGELES)
    message, page = send_and_follow(client, "Can we move Thursday to 4pm?")
    assert message.released_at == MONDAY_10_IN_LOS_ANGELES
    assert "Your message has been delivered to Dr. Rivera now." in page
    assert "I read messages within 1 business day." in page
    assert "Expect an answer within 2 working days." in page
    assert "Automatic reply" not in page
