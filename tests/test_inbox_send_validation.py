"""A message that cannot be sent is refused by the box with a clear error, and the text stays
in the box; the 2,000-character cap is checked on the server, counting a line break once."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from interlude.agreements.models import AgreementSignature
from interlude.inbox.models import MAX_MESSAGE_LENGTH, Message
from interlude.triage import assess
from tests import factories
from tests.appointment_support import freeze

pytestmark = pytest.mark.django_db

MONDAY_10_IN_LOS_ANGELES = datetime(2026, 11, 30, 18, tzinfo=UTC)


@pytest.fixture
def ana(client, monkeypatch):
    freeze(monkeypatch, MONDAY_10_IN_LOS_ANGELES)
    rivera = factories.clinician(factories.practice(), name="Dr. Rivera")
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana")
    agreement = factories.agreement(ana)
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    factories.verified_login(client, ana.user)
    return ana


def send(client, text):
    return client.post(reverse("my_messages"), {"body": text})


def test_it_refuses_an_empty_message_by_the_box(client, ana):
    response = send(client, "   \n  ")
    assert response.status_code == 400
    body = response.content.decode()
    assert '<span class="error" id="id_body_error" role="alert"><strong>Write a message before ' \
           'sending.</strong></span>' in body
    assert 'aria-invalid="true"' in body
    assert not Message.objects.exists()


def test_it_refuses_a_message_over_the_cap_and_keeps_the_text_in_the_box(client, ana):
    text = "Here is my homework from this week. " * 60
    # Urgent messages have no cap (refusing one would drop it): this one must be routine.
    assert assess(text).level == "routine"
    assert len(text.strip()) > MAX_MESSAGE_LENGTH
    response = send(client, text)
    assert response.status_code == 400
    body = response.content.decode()
    assert (f"Messages are limited to 2,000 characters; this one has {len(text.strip()):,}. "
            "Shorten it, or keep the rest for your next session.") in body
    assert f'aria-invalid="true">{text}</textarea>' in body
    # The counter shows the over-limit state even before the script runs.
    assert f"{len(text.strip()):,} of 2,000 characters: too long." in body
    assert not Message.objects.exists()


def test_it_accepts_exactly_the_cap_counting_a_line_break_once(client, ana):
    text = "a" * 999 + "\r\n" + "b" * 1000
    response = send(client, text)
    assert response.status_code == 302
    message = Message.objects.get()
    assert len(message.body) == MAX_MESSAGE_LENGTH
    assert response["Location"] == reverse("message_sent", args=[message.pk])


def test_it_refuses_one_character_over_the_cap(client, ana):
    assert send(client, "a" * (MAX_MESSAGE_LENGTH + 1)).status_code == 400
    assert not Message.objects.exists()
