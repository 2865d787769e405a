"""An urgent message is never refused for its length (refusing it would drop it); any other
message over the cap is refused with the length error and nothing is stored."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from interlude.crisis.models import UrgentAlert
from interlude.inbox.models import MAX_MESSAGE_LENGTH, Message
from interlude.inbox.services import HARD_LIMIT, send_from_client
from tests import factories as f

pytestmark = pytest.mark.django_db

LENGTH = 2400
URGENT = "I have the pills in my hand and I am going to take them all tonight."
ROUTINE = "Could we move Thursday's session to 4pm?"
DIARY = "Today I walked to the market and bought some bread and apples for the week. "


def long_text(ending):
    """LENGTH characters of an ordinary diary, ending with `ending`."""
    text = (DIARY * 40)[:LENGTH - len(ending) - 1] + " " + ending
    assert len(text) == LENGTH > MAX_MESSAGE_LENGTH
    return text


@pytest.fixture
def person():
    person = f.client(f.clinician(f.practice()))
    agreement = f.agreement(person, crisis_route="resources")
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    return person


def test_a_long_urgent_message_is_stored_whole_and_alerts(person):
    text = long_text(URGENT)
    assert triage.assess(text).level == "urgent"
    outcome = send_from_client(person.user, text)
    message = Message.objects.get(thread__client=person)
    assert message.body == text and len(message.body) == LENGTH
    assert message.level == Message.Level.URGENT
    assert UrgentAlert.objects.get(message=message) == outcome.alert


def test_a_long_routine_message_is_refused_and_nothing_is_stored(person):
    text = long_text(ROUTINE)
    assert triage.assess(text).level != "urgent"  # the cap holds for every level below urgent
    with pytest.raises(ValidationError) as refused:
        send_from_client(person.user, text)
    assert refused.value.code == "too_long"
    assert refused.value.messages == [
        "Messages are limited to 2,000 characters; this one has 2,400. Shorten it, or keep "
        "the rest for your next session."]
    assert not Message.objects.exists()
    assert not AuditEvent.objects.filter(action="send").exists()


def test_the_page_takes_a_long_urgent_message_and_refuses_a_long_routine_one(client, person):
    f.verified_login(client, person.user)
    refused = client.post(reverse("my_messages"), {"body": long_text(ROUTINE)})
    assert refused.status_code == 400
    assert "this one has 2,400" in refused.content.decode()
    assert not Message.objects.exists()

    sent = client.post(reverse("my_messages"), {"body": long_text(URGENT)})
    message = Message.objects.get(thread__client=person)
    assert (sent.status_code, sent["Location"]) == (
        302, reverse("message_sent", args=[message.pk]))
    assert len(message.body) == LENGTH


def test_it_keeps_at_most_the_hard_limit_of_an_enormous_urgent_text(person):
    text = URGENT + " " + "and I mean it " * (HARD_LIMIT // 10)
    assert len(text) > HARD_LIMIT
    outcome = send_from_client(person.user, text)
    assert outcome.urgent
    assert len(Message.objects.get(pk=outcome.message.pk).body) == HARD_LIMIT
