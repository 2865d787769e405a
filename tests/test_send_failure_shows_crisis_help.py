"""When sending fails on our side, the client is told so and gets the crisis lines at once
(the message may have been urgent): 503, and no trace of the error on the page."""

import logging

import pytest
from django.urls import reverse

from interlude.agreements.models import AgreementSignature
from interlude.crisis.safety_plans import save_plan
from interlude.inbox import services, views_client
from interlude.inbox.models import Message
from tests import factories as f

pytestmark = pytest.mark.django_db

TEXT = "Could we move Thursday's session to 4pm?"


def explode(*_args, **_kwargs):
    raise RuntimeError("database said no: secret-internal-detail")


@pytest.fixture
def person():
    clinician = f.clinician(f.practice())
    person = f.client(clinician)
    agreement = f.agreement(person)
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    save_plan(clinician.user, person, {"coping_strategies": "Walk around the block"})
    return person


def post(client, person):
    f.verified_login(client, person.user)
    return client.post(reverse("my_messages"), {"body": TEXT})


def test_a_failed_send_answers_503_with_the_crisis_lines_and_the_plan(
        client, person, monkeypatch):
    monkeypatch.setattr(services, "send_from_client", explode)
    response = post(client, person)
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Cache-Control"] == "private, no-store"
    assert "could not be sent because of a problem on our side" in page
    assert 'href="tel:988"' in page
    assert "Walk around the block" in page
    assert not Message.objects.exists()


def test_the_page_shows_no_trace_of_the_error(client, person, monkeypatch, caplog):
    monkeypatch.setattr(services, "send_from_client", explode)
    with caplog.at_level(logging.DEBUG):
        page = post(client, person).content.decode()
    for trace in ("Traceback", "RuntimeError", "secret-internal-detail", "database said"):
        assert trace not in page
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "RuntimeError" in logged
    assert "Thursday" not in logged


def test_the_crisis_lines_show_even_when_the_plan_cannot_be_read(client, person, monkeypatch):
    monkeypatch.setattr(services, "send_from_client", explode)
    monkeypatch.setattr(views_client, "plan_for_crisis_page", explode)
    response = post(client, person)
    assert response.status_code == 503
    assert 'href="tel:988"' in response.content.decode()
