"""The crisis page lists the lines that answer where the client's profile says they are."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_it_lists_the_lines_for_a_client_in_the_united_states(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    response = client.get("/me/crisis/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "988 Suicide &amp; Crisis Lifeline" in body
    assert 'href="tel:988"' in body
    assert 'href="sms:741741"' in body
    assert "Samaritans" not in body
    assert "New York, United States" in body


def test_it_follows_the_client_when_they_move(client):
    w = factories.world()
    w.client.country, w.client.region = "GB", ""
    w.client.save()
    factories.verified_login(client, w.client.user)
    body = client.get("/me/crisis/").content.decode()
    assert 'href="tel:116123"' in body
    assert 'href="tel:999"' in body
    assert "988 Suicide" not in body


def test_it_is_linked_from_every_client_page(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    body = client.get("/me/profile/").content.decode()
    assert 'href="/me/crisis/"' in body


@pytest.mark.parametrize("who", ["clinician", "admin"])
def test_it_is_a_client_page(client, who):
    w = factories.world()
    person = getattr(w, who)
    factories.verified_login(client, getattr(person, "user", person))
    assert client.get("/me/crisis/").status_code == 404
