"""When the agreement keeps messages closed, the messages page shows what the client can use
instead (the safety plan, the crisis lines, self-help when open, appointments, signing when
unsigned), never an error; a message sent anyway is refused and not stored."""

import pytest
from django.urls import reverse

from interlude.agreements.models import AgreementSignature
from interlude.inbox.models import Message, Thread
from tests import factories

pytestmark = pytest.mark.django_db


def ana_with(reason):
    rivera = factories.clinician(factories.practice(), name="Dr. Rivera")
    ana = factories.client(rivera, name="Ana")
    if reason == "not_signed":
        factories.agreement(ana)
    elif reason == "channel_closed":
        agreement = factories.agreement(ana, inbox_open=False, self_help_open=True)
        AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    return ana


def messages_page(client, ana):
    factories.verified_login(client, ana.user)
    response = client.get(reverse("my_messages"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("reason,sentence", [
    ("no_agreement", "Dr. Rivera has not shared an agreement with you yet."),
    ("not_signed", "Messages open once you sign your agreement with Dr. Rivera."),
    ("channel_closed", "Your agreement with Dr. Rivera does not include messages between "
                       "sessions."),
])
def test_it_shows_what_to_use_instead_for_each_closed_reason(client, reason, sentence):
    page = messages_page(client, ana_with(reason))
    assert sentence in page
    assert "What you can use instead" in page
    assert f'href="{reverse("client_safety_plan")}"' in page
    assert 'href="tel:988"' in page
    assert f'href="{reverse("my_appointments")}"' in page
    assert "<textarea" not in page
    signing = f'href="{reverse("client_agreement")}">Read and sign your agreement'
    assert (signing in page) == (reason == "not_signed")
    assert ("Self-help tools: open for you" in page) == (reason == "channel_closed")


def test_it_refuses_a_routine_message_sent_anyway_and_stores_nothing(client):
    ana = ana_with("channel_closed")
    factories.verified_login(client, ana.user)
    response = client.post(reverse("my_messages"), {"body": "Can we move Thursday to 4pm?"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your message was not sent, and it was not stored." in page
    assert "What you can use instead" in page
    assert not Message.objects.exists() and not Thread.objects.exists()


def test_it_keeps_earlier_messages_readable_after_messages_close(client):
    ana = ana_with("channel_closed")
    thread = Thread.objects.create(practice=ana.practice, client=ana, clinician=ana.clinician)
    Message.objects.create(thread=thread, sender=Message.Sender.CLINICIAN,
                           author=ana.clinician.user, body="See you on Friday.")
    page = messages_page(client, ana)
    assert "Earlier messages" in page and "See you on Friday." in page
