"""What a reminder says: the date and time in the client's zone and language, the kind of
appointment, signed confirm and cancel links in email and in-app, the reply keywords by SMS;
the address or video link only in-app; never clinical detail (modality, notes)."""

import re
from datetime import UTC, datetime

import pytest

from interlude.agreements.models import AgreementSignature
from interlude.outreach.models import PracticeChannels
from tests import factories as f
from tests.appointment_support import book, reminders_of

pytestmark = pytest.mark.django_db

START = datetime(2030, 3, 5, 18, 0, tzinfo=UTC)
NOTES = "Working on the trauma narrative; discuss the relapse"


@pytest.fixture
def rivera(settings):
    settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN = "AC123", "token"
    settings.SITE_URL = "https://interlude.example"
    home = f.practice("Harbor Counseling")
    PracticeChannels.objects.create(practice=home, sms_enabled=True)
    return f.clinician(home, name="Dr. Rivera", modality="dbt")


def client_of(rivera, **kw):
    person = f.client(rivera, phone="+1 212 555 0100",
                      preferred_channels=["in_app", "email", "sms"], **kw)
    agreement = f.agreement(person, notes=NOTES, preset="dbt")
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    return person


def bodies(appointment):
    """The two-hour reminders, by channel."""
    return {row.channel: row for row in reminders_of(appointment)
            if ":120:" in row.idempotency_key}


def test_each_channel_carries_what_it_may_and_no_clinical_detail(rivera):
    ana = client_of(rivera, name="Ana Lopez")  # in New York: 13:00 there

    appointment = book(ana, START, kind="video", location="https://video.example/room/42")

    rows = bodies(appointment)
    email, in_app, sms = rows["email"], rows["in_app"], rows["sms"]
    assert email.subject == "Reminder: your appointment on Tuesday 5 March at 13:00"
    assert "Hello Ana," in email.body
    assert "video appointment with Dr. Rivera on Tuesday 5 March at 13:00" in email.body
    for body in (email.body, in_app.body):
        assert re.search(r"Confirm.*: https://interlude\.example/a/[\w:.-]+/confirm/\n", body)
        assert re.search(r"Cancel.*: https://interlude\.example/a/[\w:.-]+/cancel/", body)
    assert "https://video.example/room/42" in in_app.body
    assert sms.body == ("Harbor Counseling: reminder of your video appointment on Tuesday "
                        "5 March at 13:00. Reply C to confirm or X to cancel.")
    for row in (email, sms):
        assert "video.example" not in row.body
    for row in (email, in_app, sms):
        # A signed link is random text that may spell "dbt" by chance; the words are what count.
        text = re.sub(r"https://\S+", "", row.subject + row.body)
        for clinical in ("trauma", "relapse", "DBT", "Dialectical", "dbt"):
            assert clinical not in text


def test_the_confirm_link_in_the_email_opens_the_appointment(rivera, client):
    ana = client_of(rivera)
    appointment = book(ana, START)
    email = bodies(appointment)["email"]
    url = next(word for word in email.body.split() if word.endswith("/confirm/"))

    response = client.get(url.removeprefix("https://interlude.example"))

    assert response.status_code == 200
    assert "Tuesday 5 March" in response.content.decode()


def test_a_spanish_speaking_client_gets_reminders_in_spanish_in_their_zone(rivera):
    lucia = client_of(rivera, name="Lucía Fernández", time_zone="Europe/Madrid",
                      country="ES", region="", language="es")

    appointment = book(lucia, START, kind="in_person", location="Calle Mayor 1")

    rows = bodies(appointment)
    assert rows["email"].subject == "Recordatorio: tu cita del martes 5 de marzo a las 19:00"
    assert "Hola, Lucía:" in rows["email"].body
    assert "tu cita presencial con Dr. Rivera el martes 5 de marzo a las 19:00" in (
        rows["email"].body)
    assert rows["sms"].body == ("Harbor Counseling: recordatorio de tu cita presencial el "
                                "martes 5 de marzo a las 19:00. Responde C para confirmar o X "
                                "para cancelar.")
    assert "Dónde: Calle Mayor 1" in rows["in_app"].body
    assert "Calle Mayor" not in rows["email"].body + rows["sms"].body
