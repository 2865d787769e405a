"""A client edits their own profile, and only their own."""

import pytest

from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

CHANGES = {"time_zone": "Europe/Madrid", "country": "ES", "region": "",
           "preferred_language": "es", "phone": "+34 600 000 000",
           "preferred_channels": ["email", "sms"], "quiet_start": "22:00", "quiet_end": "07:30"}


def test_it_shows_the_client_their_profile(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    response = client.get("/me/profile/")
    assert response.status_code == 200
    body = response.content.decode()
    assert w.client.user.email in body
    assert '<option value="America/New_York" selected>' in body
    assert "New York, United States" in body


def test_it_saves_the_changes_and_records_only_field_names(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    response = client.post("/me/profile/", CHANGES)
    assert response.status_code == 302
    assert response["Location"] == "/me/profile/"
    w.client.refresh_from_db()
    w.client.user.refresh_from_db()
    assert (w.client.time_zone, w.client.country, w.client.region) == ("Europe/Madrid", "ES", "")
    assert w.client.phone == "+34 600 000 000"
    assert w.client.preferred_channels == ["email", "sms"]
    assert (w.client.quiet_start.isoformat(), w.client.quiet_end.isoformat()) == (
        "22:00:00", "07:30:00")
    assert w.client.user.preferred_language == "es"
    event = AuditEvent.objects.get(action="update", object_type="ClientProfile")
    assert event.actor == w.client.user
    assert event.client_id_ref == w.client.pk
    assert sorted(event.detail["fields"]) == sorted(CHANGES)
    assert "600" not in str(event.detail) and "Madrid" not in str(event.detail)


def test_it_switches_the_page_language_with_the_profile(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    response = client.post("/me/profile/", CHANGES, follow=True)
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()
    # The login page stays in Spanish after logging out.
    assert client.cookies["django_language"].value == "es"


def test_it_records_nothing_when_nothing_changed(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    same = {"time_zone": "America/New_York", "country": "US", "region": "NY",
            "preferred_language": "en", "phone": "", "preferred_channels": [],
            "quiet_start": "21:00", "quiet_end": "08:00"}
    assert client.post("/me/profile/", same).status_code == 302
    assert not AuditEvent.objects.filter(action="update").exists()


def test_it_refuses_a_state_of_another_country_and_changes_nothing(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    response = client.post("/me/profile/", {**CHANGES, "country": "US", "region": "ON"})
    assert response.status_code == 400
    assert "is not a state or province of United States" in response.content.decode()
    w.client.refresh_from_db()
    assert (w.client.country, w.client.region, w.client.time_zone) == (
        "US", "NY", "America/New_York")
    assert not AuditEvent.objects.filter(action="update").exists()


def test_it_needs_a_phone_for_text_messages(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    response = client.post("/me/profile/", {**CHANGES, "phone": ""})
    assert response.status_code == 400
    assert "Add a phone number" in response.content.decode()
    w.client.refresh_from_db()
    assert w.client.preferred_channels == []


def test_it_only_ever_changes_the_signed_in_clients_own_profile(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    client.post("/me/profile/", {**CHANGES, "id": w.other_client.pk,
                                 "client": w.other_client.pk})
    for other in (w.other_client, w.foreign_client):
        other.refresh_from_db()
        assert (other.time_zone, other.country) == ("America/New_York", "US")
        assert other.user.preferred_language == "en"


@pytest.mark.parametrize("who", ["clinician", "other_clinician", "admin", "foreign_admin"])
def test_it_refuses_staff_who_have_no_client_profile(client, who):
    w = factories.world()
    person = getattr(w, who)
    factories.verified_login(client, getattr(person, "user", person))
    assert client.get("/me/profile/").status_code == 404
    assert client.post("/me/profile/", CHANGES).status_code == 404
    assert not AuditEvent.objects.filter(action="update").exists()


def test_it_sends_anonymous_visitors_to_log_in(client):
    response = client.get("/me/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
