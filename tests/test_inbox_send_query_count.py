"""Sending and opening the thread take a fixed number of queries however long the thread is."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interlude.agreements.models import AgreementSignature
from interlude.inbox import services
from tests import factories
from tests.appointment_support import freeze

pytestmark = pytest.mark.django_db

SATURDAY = datetime(2026, 11, 28, 12, tzinfo=UTC)


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def counts(client, monkeypatch, earlier):
    freeze(monkeypatch, SATURDAY)
    rivera = factories.clinician(factories.practice(), name="Dr. Rivera")
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana")
    agreement = factories.agreement(ana)
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    for n in range(earlier):
        services.send_from_client(ana.user, f"Question {n} about the worksheet", at=SATURDAY)
    factories.verified_login(client, ana.user)
    client.get(reverse("my_messages"))  # sessions and caches warm
    page = queries(lambda: client.get(reverse("my_messages")))
    send = queries(lambda: client.post(reverse("my_messages"), {"body": "Can we move Friday?"}))
    return page, send


def test_it_keeps_the_page_and_the_send_flat_as_the_thread_grows(client, monkeypatch):
    short = counts(client, monkeypatch, earlier=1)
    client.logout()
    long = counts(client, monkeypatch, earlier=25)
    assert long == short
    page, send = long
    assert page <= 20 and send <= 20
