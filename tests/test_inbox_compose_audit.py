"""Opening the messages page and a sent page reads clinical data: each read leaves an audit
event naming the client, with counts and levels only, never the text."""

import json

import pytest
from django.urls import reverse

from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from interlude.inbox import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana():
    rivera = factories.clinician(factories.practice(), name="Dr. Rivera")
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana")
    agreement = factories.agreement(ana)
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    return ana


def test_it_records_each_opening_of_the_thread(client, ana):
    sent = services.send_from_client(ana.user, "My worksheet is done.").message
    factories.verified_login(client, ana.user)
    assert client.get(reverse("my_messages")).status_code == 200
    event = AuditEvent.objects.get(action="view", object_type="Thread")
    assert (event.actor_id, event.object_id, event.client_id_ref) == (
        ana.user.pk, str(sent.thread_id), ana.pk)
    assert event.detail["messages"] >= 1
    assert "worksheet" not in json.dumps(event.detail)


def test_it_records_the_opening_of_an_empty_thread_too(client, ana):
    factories.verified_login(client, ana.user)
    assert client.get(reverse("my_messages")).status_code == 200
    event = AuditEvent.objects.get(action="view", object_type="Thread")
    assert (event.object_id, event.client_id_ref, event.detail) == ("", ana.pk,
                                                                    {"messages": 0})


def test_it_records_the_opening_of_a_sent_page(client, ana):
    sent = services.send_from_client(ana.user, "My worksheet is done.").message
    factories.verified_login(client, ana.user)
    assert client.get(reverse("message_sent", args=[sent.pk])).status_code == 200
    event = AuditEvent.objects.get(action="view", object_type="Message")
    assert (event.actor_id, event.object_id, event.client_id_ref, event.detail) == (
        ana.user.pk, str(sent.pk), ana.pk, {"page": "sent", "level": sent.level})
