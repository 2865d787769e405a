"""Who sent the text: matched by the client's phone number, written any common way; an
unknown or shared number gets a general answer and changes nothing."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone
from twilio.request_validator import RequestValidator

from interlude.audit.models import AuditEvent
from interlude.outreach.models import Appointment, PracticeChannels
from interlude.outreach.sms_inbound import normalise_phone
from tests import factories

pytestmark = pytest.mark.django_db
SITE = "https://care.example.org"
TOKEN = "inbound-token"


@pytest.fixture(autouse=True)
def sms_settings(settings):
    settings.SITE_URL = SITE
    settings.SMS_AUTH_TOKEN = TOKEN


def booked_client(phone, clinician=None, **kw):
    person = factories.client(clinician or factories.clinician(factories.practice()),
                              phone=phone, **kw)
    start = timezone.now() + timedelta(days=2)
    row = Appointment.objects.create(practice=person.practice, clinician=person.clinician,
                                     client=person, start=start, end=start + timedelta(hours=1))
    return person, row


def text_in(django_client, sender, body="C", receiver="+15550000009"):
    params = {"From": sender, "To": receiver, "Body": body, "MessageSid": f"SM{sender}{body}"}
    signature = RequestValidator(TOKEN).compute_signature(SITE + "/sms/inbound/", params)
    response = django_client.post("/sms/inbound/", params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200
    return ET.fromstring(response.content).find("Message").text


def status_of(row):
    row.refresh_from_db()
    return row.status


def test_it_normalises_numbers_to_digits_and_a_leading_plus():
    assert normalise_phone("+1 (555) 123-4567") == "+15551234567"
    assert normalise_phone("555.123.4567") == "5551234567"
    assert normalise_phone("  ") == ""


@pytest.mark.parametrize("stored", ["+1 (555) 123-4003", "+15551234003", "555-123-4003",
                                    "(555) 123 4003"])
def test_it_matches_a_number_stored_in_any_common_format(client, stored):
    _person, row = booked_client(stored)

    text_in(client, "+15551234003")

    assert status_of(row) == Appointment.Status.CONFIRMED


def test_an_unknown_number_gets_a_general_answer_and_changes_nothing(client):
    w = factories.world()
    _person, row = booked_client("+15551234004", clinician=w.clinician)

    answer = text_in(client, "+15559999999", body="X")

    assert "cannot read replies" in answer
    assert status_of(row) == Appointment.Status.SCHEDULED
    assert not AuditEvent.objects.filter(action__in=["cancel", "sms_reply"]).exists()


def test_a_number_shared_by_two_clients_changes_nothing(client):
    _first, first_row = booked_client("+15551234005")
    _second, second_row = booked_client("+1 555 123 4005")

    answer = text_in(client, "+15551234005", body="X")

    assert "cannot read replies" in answer
    assert status_of(first_row) == status_of(second_row) == Appointment.Status.SCHEDULED


def test_a_number_that_only_shares_the_last_digits_is_not_matched(client):
    _person, row = booked_client("+445551234006")

    text_in(client, "+15551234006", body="X")

    assert status_of(row) == Appointment.Status.SCHEDULED


def test_an_inactive_client_is_not_matched(client):
    person, row = booked_client("+15551234007")
    person.is_active = False
    person.save()

    text_in(client, "+15551234007", body="X")

    assert status_of(row) == Appointment.Status.SCHEDULED


def test_the_practice_number_that_received_the_text_picks_its_own_client(client):
    w = factories.world()
    PracticeChannels.objects.update_or_create(practice=w.practice,
                                              defaults={"sms_enabled": True,
                                                        "sms_from": "+1 555 000 1111"})
    PracticeChannels.objects.update_or_create(practice=w.other_practice,
                                              defaults={"sms_enabled": True,
                                                        "sms_from": "+15550002222"})
    _ours, our_row = booked_client("+15551234008", clinician=w.clinician)
    _theirs, their_row = booked_client("+15551234008", clinician=w.foreign_clinician)

    text_in(client, "+15551234008", body="X", receiver="+15550001111")

    assert status_of(our_row) == Appointment.Status.CANCELLED
    assert status_of(their_row) == Appointment.Status.SCHEDULED
