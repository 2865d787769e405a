"""Reply keywords, in English and Spanish: confirm or cancel the next appointment, STOP opts
out of texts, anything else is answered with where to write instead and the crisis lines."""

import logging
import xml.etree.ElementTree as ET
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
PHONE = "+15551230002"


@pytest.fixture(autouse=True)
def sms_settings(settings):
    settings.SITE_URL = SITE
    settings.SMS_AUTH_TOKEN = TOKEN


def make_client(language="en", country="US", region="NY"):
    clinician = factories.clinician(factories.practice(), name="Dr. Rivera")
    return factories.client(clinician, phone=PHONE, language=language, country=country,
                            region=region, preferred_channels=["in_app", "sms"])


def book(person, hours, status=Appointment.Status.SCHEDULED):
    start = timezone.now() + timedelta(hours=hours)
    return Appointment.objects.create(practice=person.practice, clinician=person.clinician,
                                      client=person, start=start, end=start + timedelta(hours=1),
                                      status=status)


def text_in(django_client, body, sid="SM01"):
    params = {"From": PHONE, "To": "+15550000009", "Body": body, "MessageSid": sid}
    signature = RequestValidator(TOKEN).compute_signature(SITE + "/sms/inbound/", params)
    response = django_client.post("/sms/inbound/", params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "Response"
    return root.find("Message").text


def status_of(row):
    row.refresh_from_db()
    return row.status


@pytest.mark.parametrize("word", ["C", "confirm", " Yes ", "yes."])
def test_a_confirm_keyword_confirms_the_next_appointment_only(client, word):
    person = make_client()
    book(person, -3)  # past: not the next one
    book(person, 20, status=Appointment.Status.CANCELLED)
    upcoming = book(person, 48)
    later = book(person, 24 * 9)

    answer = text_in(client, word)

    assert "confirmed" in answer
    assert status_of(upcoming) == Appointment.Status.CONFIRMED
    assert status_of(later) == Appointment.Status.SCHEDULED
    event = AuditEvent.objects.get(action="confirm", object_id=str(upcoming.pk))
    assert event.actor_id == person.user.pk
    assert event.detail == {"via": "sms"}


@pytest.mark.parametrize("word", ["X", "cancel", "Cancel!"])
def test_a_cancel_keyword_cancels_the_next_appointment_only(client, word):
    person = make_client()
    upcoming = book(person, 48)
    later = book(person, 24 * 9)

    answer = text_in(client, word)

    assert "cancelled" in answer and "Dr. Rivera" in answer
    upcoming.refresh_from_db()
    assert upcoming.status == Appointment.Status.CANCELLED
    assert upcoming.cancelled_by_id == person.user.pk
    assert status_of(later) == Appointment.Status.SCHEDULED
    event = AuditEvent.objects.get(action="cancel", object_id=str(upcoming.pk))
    assert event.detail["via"] == "sms"


@pytest.mark.parametrize("word", ["SI", "Sí", "SÍ", "si", "¡Sí!"])
def test_spanish_confirm_keywords_confirm(client, word):
    person = make_client(language="es")
    upcoming = book(person, 48)

    text_in(client, word)

    assert status_of(upcoming) == Appointment.Status.CONFIRMED


def test_cancelar_cancels_in_spanish(client):
    person = make_client(language="es")
    upcoming = book(person, 48)

    reply = text_in(client, "CANCELAR")

    assert status_of(upcoming) == Appointment.Status.CANCELLED
    # The date reads as Spanish does: "martes 5 de marzo", not "martes 5 marzo".
    assert " de " in reply.split(",")[0]


def test_stop_takes_sms_out_of_the_clients_channels_and_is_audited(client):
    person = make_client()
    upcoming = book(person, 48)

    answer = text_in(client, "STOP")

    assert "no more text messages" in answer
    person.refresh_from_db()
    assert person.preferred_channels == ["in_app"]
    event = AuditEvent.objects.get(action="sms_opt_out")
    assert (event.actor_id, event.client_id_ref, event.detail) == (person.user.pk, person.pk,
                                                                   {"via": "sms"})
    assert status_of(upcoming) == Appointment.Status.SCHEDULED


def test_free_text_is_answered_with_the_app_and_the_crisis_lines_and_changes_nothing(
        client, caplog):
    caplog.set_level(logging.DEBUG)
    person = make_client()
    upcoming = book(person, 48)

    answer = text_in(client, "I feel awful and can't go on")

    assert "Nobody reads text messages" in answer
    assert SITE in answer
    assert "988" in answer and "911" in answer
    assert status_of(upcoming) == Appointment.Status.SCHEDULED
    person.refresh_from_db()
    assert person.preferred_channels == ["in_app", "sms"]
    assert "awful" not in caplog.text
    assert all("awful" not in str(e.detail) for e in AuditEvent.objects.all())


def test_free_text_gets_the_crisis_lines_of_the_clients_country_in_their_language(client):
    person = make_client(language="es", country="ES", region="")
    book(person, 48)

    answer = text_in(client, "hola, necesito hablar")

    assert "024" in answer and "112" in answer
    assert "Llama al 024" in answer
    assert "988" not in answer


def test_free_text_in_the_uk_names_samaritans(client):
    make_client(country="GB", region="")

    answer = text_in(client, "hello?")

    assert "116 123" in answer and "999" in answer


def test_a_keyword_without_an_upcoming_appointment_changes_nothing(client):
    person = make_client()
    past = book(person, -5)

    answer = text_in(client, "C")

    assert "no upcoming appointment" in answer
    assert status_of(past) == Appointment.Status.SCHEDULED


def test_the_same_message_delivered_twice_cancels_one_appointment(client):
    person = make_client()
    upcoming = book(person, 48)
    later = book(person, 24 * 9)

    text_in(client, "X", sid="SM-repeat")
    second = text_in(client, "X", sid="SM-repeat")

    assert "already" in second
    assert status_of(upcoming) == Appointment.Status.CANCELLED
    assert status_of(later) == Appointment.Status.SCHEDULED
    assert AuditEvent.objects.filter(action="sms_reply", object_id="SM-repeat").count() == 1


def test_two_different_messages_cancel_two_appointments(client):
    person = make_client()
    first, second = book(person, 48), book(person, 24 * 9)

    text_in(client, "X", sid="SM-a")
    text_in(client, "X", sid="SM-b")

    assert (status_of(first), status_of(second)) == (Appointment.Status.CANCELLED,
                                                     Appointment.Status.CANCELLED)
