"""A Spanish-speaking client's messages pages render in Spanish, dates included."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from interlude.agreements.models import AgreementSignature
from interlude.inbox.models import Message
from tests import factories
from tests.appointment_support import freeze

pytestmark = pytest.mark.django_db

SATURDAY = datetime(2026, 11, 28, 12, tzinfo=UTC)


def test_it_renders_the_compose_and_sent_pages_for_a_spanish_client(client, monkeypatch):
    freeze(monkeypatch, SATURDAY)
    rivera = factories.clinician(factories.practice(), name="Dra. Rivera", pronoun="she",
                                 licensed=(("ES", ""),))
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana", time_zone="Europe/Madrid", country="ES",
                           region="", language="es")
    agreement = factories.agreement(ana)
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    factories.verified_login(client, ana.user)

    page = client.get(reverse("my_messages")).content.decode()
    assert '<html lang="es">' in page
    assert "lunes 30 de noviembre" in page and "18:00" in page

    response = client.post(reverse("my_messages"), {"body": "¿Podemos cambiar la cita?"})
    assert response.status_code == 302
    assert Message.objects.get(sender=Message.Sender.CLIENT).lang == "es"
    sent = client.get(response["Location"])
    assert sent.status_code == 200
    assert "lunes 30 de noviembre" in sent.content.decode()
