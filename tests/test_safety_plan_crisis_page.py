"""The crisis page, one tap from every client page, shows the safety plan first, then the crisis
lines; the service worker that keeps it offline is served from the site root."""

import pytest

from interlude.crisis.safety_plans import save_plan
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_shows_the_plan_before_the_crisis_lines(client):
    w = factories.world()
    save_plan(w.clinician.user, w.client, {"warning_signs": "Skipping meals",
                                           "reasons_for_living": "My garden"})
    factories.verified_login(client, w.client.user)
    response = client.get("/me/crisis/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("Skipping meals") < body.index('href="tel:988"')
    assert "My garden" in body
    assert 'data-offline-worker="/safety-plan-sw.js"' in body
    assert response["Cache-Control"] == "private, no-store"


def test_it_shows_the_crisis_lines_on_the_plan_page(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    body = client.get("/me/safety-plan/").content.decode()
    assert 'href="tel:988"' in body
    assert "You do not have a safety plan yet." in body


def test_it_serves_the_service_worker_from_the_root(client):
    response = client.get("/safety-plan-sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "/me/safety-plan/" in response.content.decode()


def test_it_loads_the_offline_script_with_the_logout_address(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    body = client.get("/me/profile/").content.decode()
    assert 'data-logout="/logout/"' in body and 'data-signed-in="1"' in body
