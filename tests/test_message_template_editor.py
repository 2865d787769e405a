"""A practice admin edits the wording of a message on /practice/templates/: a preview with
sample data saves nothing, a save is checked and audited, and the default can be restored.
Clinicians, clients and other practices' admins cannot touch it."""

from datetime import UTC, datetime

import pytest
from django.test import override_settings

from interlude.audit.models import AuditEvent
from interlude.outreach.models import MessageTemplate, PracticeChannels
from tests import factories as f
from tests.appointment_support import book, reminders_of, signed_client

pytestmark = pytest.mark.django_db

URL = "/practice/templates/reminder/sms/en/"


def test_an_admin_sees_every_template_and_the_default_wording(client):
    w = f.world()
    f.verified_login(client, w.admin)

    listing = client.get("/practice/templates/")
    page = client.get(URL)

    assert listing.status_code == 200
    assert len(listing.context["rows"]) == 4 * 3 * 2  # kinds x channels x languages
    assert not any(row["own"] for row in listing.context["rows"])
    assert page.status_code == 200
    assert page.context["form"].initial["body"].startswith("{practice_name}: reminder of")
    content = page.content.decode()
    assert "{reply_keywords}" in content and "{location}" not in content


def test_a_preview_shows_sample_data_and_saves_nothing(client):
    w = f.world()
    f.verified_login(client, w.admin)

    response = client.post(URL, {"action": "preview", "subject": "",
                                 "body": "{practice_name}: {client_first_name}, {date} {time}"})

    assert response.status_code == 200
    assert response.context["preview"].body == (
        f"{w.practice.name}: Alex, Monday 2 March 10:00")
    assert not MessageTemplate.objects.exists()
    assert not AuditEvent.objects.filter(object_type="MessageTemplate").exists()


def test_an_admin_saves_a_template_that_the_next_reminder_uses(client):
    w = f.world()
    f.verified_login(client, w.admin)

    response = client.post(URL, {"action": "save", "subject": "",
                                 "body": "{practice_name}: see you {date} at {time}. "
                                         "{reply_keywords}"})

    assert response.status_code == 302
    row = MessageTemplate.objects.get(practice=w.practice)
    assert (row.kind, row.channel, row.language) == ("reminder", "sms", "en")
    assert AuditEvent.objects.get(object_type="MessageTemplate").actor == w.admin
    listing = client.get("/practice/templates/").context["rows"]
    assert [r["channel"] for r in listing if r["own"]] == ["sms"]
    PracticeChannels.objects.update_or_create(practice=w.practice,
                                              defaults={"sms_enabled": True})
    ana = signed_client(w.clinician, phone="+1 212 555 0100", preferred_channels=["sms"])
    with override_settings(SMS_ACCOUNT_SID="AC1", SMS_AUTH_TOKEN="t"):
        appointment = book(ana, datetime(2030, 3, 5, 18, tzinfo=UTC))
    bodies = {r.body for r in reminders_of(appointment)}
    assert (f"{w.practice.name}: see you Tuesday 5 March at 13:00. Reply C to confirm or X to "
            "cancel.") in bodies


def test_a_bad_template_is_refused_and_the_text_kept(client):
    w = f.world()
    f.verified_login(client, w.admin)

    response = client.post(URL, {"action": "save", "subject": "",
                                 "body": "Hi {client_first_name}, about {diagnosis}"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Unknown placeholder: {diagnosis}." in content
    assert "Hi {client_first_name}, about {diagnosis}" in content
    assert not MessageTemplate.objects.exists()


def test_an_admin_goes_back_to_the_default_wording(client):
    w = f.world()
    MessageTemplate.objects.create(practice=w.practice, kind="reminder", channel="sms",
                                   language="en", body="{practice_name}")
    f.verified_login(client, w.admin)

    response = client.post(URL, {"action": "reset"})

    assert response.status_code == 302
    assert not MessageTemplate.objects.exists()
    assert AuditEvent.objects.get(object_type="MessageTemplate").action == "delete"


def test_nobody_else_reaches_the_editor(client):
    w = f.world()
    MessageTemplate.objects.create(practice=w.practice, kind="reminder", channel="sms",
                                   language="en", body="Home practice wording")
    for user in (w.clinician.user, w.client.user):
        f.verified_login(client, user)
        assert client.get("/practice/templates/").status_code == 404
        assert client.post(URL, {"action": "reset"}).status_code == 404
    f.verified_login(client, w.foreign_admin)
    page = client.get(URL)
    assert "Home practice wording" not in page.content.decode()
    client.post(URL, {"action": "reset"})
    assert MessageTemplate.objects.get().body == "Home practice wording"
    f.verified_login(client, w.admin)
    assert client.get("/practice/templates/reminder/fax/en/").status_code == 404
    assert client.get("/practice/templates/reminder/sms/fr/").status_code == 404
