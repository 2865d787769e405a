"""The SMS webhook acts only on requests signed with the account's auth token over the public
URL and the form fields; anything else is 403 and changes nothing."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from twilio.request_validator import RequestValidator

from interlude.audit.models import AuditEvent
from interlude.outreach.models import Appointment
from tests import factories

pytestmark = pytest.mark.django_db
SITE = "https://care.example.org"
TOKEN = "inbound-token"
URL = "/sms/inbound/"


@pytest.fixture(autouse=True)
def sms_settings(settings):
    settings.SITE_URL = SITE
    settings.SMS_AUTH_TOKEN = TOKEN


@pytest.fixture
def booked():
    person = factories.client(factories.clinician(factories.practice()), phone="+15551230001",
                              preferred_channels=["email", "sms"])
    start = timezone.now() + timedelta(days=2)
    row = Appointment.objects.create(practice=person.practice, clinician=person.clinician,
                                     client=person, start=start, end=start + timedelta(hours=1))
    return person, row


def form(body="C"):
    return {"From": "+15551230001", "To": "+15550000009", "Body": body,
            "MessageSid": "SM0000000000000000000000000000beef", "AccountSid": "AC1"}


def sign(params, url=SITE + URL, token=TOKEN):
    return RequestValidator(token).compute_signature(url, params)


def unchanged(person, row):
    row.refresh_from_db()
    person.refresh_from_db()
    return (row.status == Appointment.Status.SCHEDULED
            and person.preferred_channels == ["email", "sms"]
            and not AuditEvent.objects.filter(client_id_ref=person.pk).exists())


def test_a_correctly_signed_request_is_acted_on(client, booked):
    person, row = booked
    params = form("C")

    response = client.post(URL, params, HTTP_X_TWILIO_SIGNATURE=sign(params))

    assert response.status_code == 200
    row.refresh_from_db()
    assert row.status == Appointment.Status.CONFIRMED


def test_it_refuses_a_request_without_a_signature(client, booked):
    response = client.post(URL, form("X"))

    assert response.status_code == 403
    assert unchanged(*booked)


@pytest.mark.parametrize("forge", ["wrong_token", "other_url", "tampered_body", "garbage"])
def test_it_refuses_a_wrong_signature(client, booked, forge):
    params = form("X")
    signature = {
        "wrong_token": lambda: sign(params, token="not-the-token"),
        "other_url": lambda: sign(params, url="https://evil.example.org/sms/inbound/"),
        "tampered_body": lambda: sign(form("C")),
        "garbage": lambda: "bm90IGEgc2lnbmF0dXJl",
    }[forge]()

    response = client.post(URL, params, HTTP_X_TWILIO_SIGNATURE=signature)

    assert response.status_code == 403
    assert unchanged(*booked)


def test_it_refuses_everything_when_no_auth_token_is_configured(client, booked, settings):
    params = form("X")
    signature = sign(params, token="")
    settings.SMS_AUTH_TOKEN = ""

    response = client.post(URL, params, HTTP_X_TWILIO_SIGNATURE=signature)

    assert response.status_code == 403
    assert unchanged(*booked)


def test_it_logs_a_refusal_without_the_number_or_the_text(client, booked, caplog):
    caplog.set_level(logging.INFO)
    params = form("my private words")

    client.post(URL, params, HTTP_X_TWILIO_SIGNATURE="bad")

    assert "signature" in caplog.text
    assert "private words" not in caplog.text
    assert "5551230001" not in caplog.text


def test_it_answers_get_with_405(client, booked):
    assert client.get(URL).status_code == 405
    assert unchanged(*booked)
