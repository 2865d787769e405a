"""Only the client who sent a message can open its page; nobody but a client can use the
client's messages pages."""

import pytest
from django.urls import reverse

from interlude.agreements.models import AgreementSignature
from interlude.inbox import services
from interlude.inbox.models import Message
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = factories.world()
    factories.weekday_hours(w.clinician)
    agreement = factories.agreement(w.client)
    AgreementSignature.objects.create(agreement=agreement, signed_by=w.client.user, version=1)
    return w


@pytest.fixture
def sent(w):
    return services.send_from_client(w.client.user, "Can we move Thursday to 4pm?").message


def test_it_shows_the_sent_page_to_the_client_who_sent_it(client, w, sent):
    factories.verified_login(client, w.client.user)
    assert client.get(reverse("message_sent", args=[sent.pk])).status_code == 200


def test_it_refuses_another_clients_sent_page(client, w, sent):
    for other in (w.other_client, w.foreign_client):
        factories.verified_login(client, other.user)
        assert client.get(reverse("message_sent", args=[sent.pk])).status_code == 404


def test_it_refuses_staff_the_sent_page_and_the_messages_page(client, w, sent):
    for user in (w.clinician.user, w.admin, w.foreign_admin):
        factories.verified_login(client, user)
        assert client.get(reverse("message_sent", args=[sent.pk])).status_code == 404
        assert client.get(reverse("my_messages")).status_code == 404
        assert client.post(reverse("my_messages"), {"body": "Hello"}).status_code == 404
    assert Message.objects.filter(sender=Message.Sender.CLIENT).count() == 1


def test_it_has_no_sent_page_for_a_message_the_client_did_not_write(client, w, sent):
    reply = services.reply(w.clinician.user, sent.thread, "Yes, 4pm works.")
    factories.verified_login(client, w.client.user)
    assert client.get(reverse("message_sent", args=[reply.pk])).status_code == 404


def test_it_sends_a_visitor_who_is_not_logged_in_to_the_login_page(client, sent):
    response = client.get(reverse("message_sent", args=[sent.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(reverse("my_messages")).status_code == 302
