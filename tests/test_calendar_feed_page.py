"""The "Your calendar link" page: make a link (shown once), make a new one, turn it off."""

import hashlib
import re

import pytest

from interlude.outreach.models import CalendarFeed
from tests import factories

pytestmark = pytest.mark.django_db
LINK = re.compile(r'id="calendar-link" value="(?P<url>[^"]+/calendar/(?P<token>[^"/]+)\.ics)"')


def shown_token(response):
    match = LINK.search(response.content.decode())
    assert match, "the new link is not on the page"
    return match["token"]


def live(user):
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True)


def test_it_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/calendar/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert client.post("/calendar/new/").status_code == 302
    assert CalendarFeed.objects.count() == 0


def test_a_client_makes_a_link_that_is_shown_once_and_stored_as_a_hash(client, settings):
    settings.SITE_URL = "https://care.example.org"
    person = factories.client(factories.clinician(factories.practice()))
    factories.verified_login(client, person.user)

    assert "You have no calendar link" in client.get("/calendar/").content.decode()
    response = client.post("/calendar/new/")

    assert response.status_code == 200
    token = shown_token(response)
    assert LINK.search(response.content.decode())["url"].startswith(
        "https://care.example.org/calendar/")
    assert "webcal://care.example.org/calendar/" in response.content.decode()
    assert live(person.user).get().token_hash == hashlib.sha256(token.encode()).hexdigest()
    again = client.get("/calendar/")
    assert token not in again.content.decode()
    assert "You have a calendar link" in again.content.decode()
    assert client.get(f"/calendar/{token}.ics").status_code == 200


def test_making_a_new_link_revokes_the_old_one(client):
    person = factories.client(factories.clinician(factories.practice()))
    factories.verified_login(client, person.user)
    old = shown_token(client.post("/calendar/new/"))

    new = shown_token(client.post("/calendar/new/"))

    assert new != old
    assert live(person.user).count() == 1
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_turning_it_off_revokes_the_link(client):
    person = factories.client(factories.clinician(factories.practice()))
    factories.verified_login(client, person.user)
    token = shown_token(client.post("/calendar/new/"))

    response = client.post("/calendar/off/", follow=True)

    assert response.status_code == 200
    assert "Your calendar link is turned off" in response.content.decode()
    assert not live(person.user).exists()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_clinician_makes_their_own_link(client):
    clinician = factories.clinician(factories.practice())
    factories.verified_login(client, clinician.user)

    token = shown_token(client.post("/calendar/new/"))

    assert live(clinician.user).get().token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_making_a_link_for_one_person_leaves_others_alone(client):
    w = factories.world()
    for person in (w.other_client.user, w.foreign_client.user, w.clinician.user):
        factories.verified_login(client, person)
        client.post("/calendar/new/")
    client.logout()
    factories.verified_login(client, w.client.user)

    client.post("/calendar/new/")
    client.post("/calendar/off/")

    assert not live(w.client.user).exists()
    for person in (w.other_client.user, w.foreign_client.user, w.clinician.user):
        assert live(person).count() == 1


def test_an_admin_without_appointments_gets_404_and_no_link(client):
    w = factories.world()
    factories.verified_login(client, w.admin)

    assert client.get("/calendar/").status_code == 404
    assert client.post("/calendar/new/").status_code == 404
    assert not CalendarFeed.objects.filter(user=w.admin).exists()


def test_making_a_link_needs_a_post(client):
    person = factories.client(factories.clinician(factories.practice()))
    factories.verified_login(client, person.user)

    assert client.get("/calendar/new/").status_code == 405
    assert client.get("/calendar/off/").status_code == 405
    assert not CalendarFeed.objects.exists()
