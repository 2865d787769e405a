"""Who may reach which client through the API: a clinician their own clients, an admin their
practice, nobody another practice; clients never reach the staff routes. Out of reach is 404."""

import pytest

from interlude.agreements.models import ConnectionAgreement
from interlude.audit.models import AuditEvent

from .api_support import counts, fast_passwords, session_api  # noqa: F401
from .factories import agreement, world

pytestmark = pytest.mark.django_db

# Every staff route that names a client, with a body where it takes one.
CLIENT_ROUTES = [
    ("get", "/clients/{id}", None),
    ("get", "/clients/{id}/agreements", None),
    ("get", "/clients/{id}/agreements/current", None),
    ("get", "/clients/{id}/agreements/1", None),
    ("post", "/clients/{id}/agreements", {"preset": "cbt"}),
    ("get", "/clients/{id}/presets/cbt", None),
    ("get", "/clients/{id}/availability?channel=inbox", None),
]
ROUTE_IDS = [f"{method} {path}" for method, path, _body in CLIENT_ROUTES]


@pytest.fixture
def w():
    w = world()
    for c in (w.client, w.other_client, w.foreign_client):
        agreement(c)
    return w


def call(api, method, path, body, client):
    path = path.format(id=client.pk)
    if method == "post":
        return api.post(path, body)
    return api.get(path)


@pytest.mark.parametrize(("method", "path", "body"), CLIENT_ROUTES, ids=ROUTE_IDS)
def test_it_refuses_another_clinicians_client(w, method, path, body):
    api = session_api(w.clinician.user)
    before = counts()
    response = call(api, method, path, body, w.other_client)
    assert response.status_code == 404
    assert counts() == before
    # The answer is the one for a client who does not exist: nothing is disclosed.
    missing = call(api, method, path, body, type(w.client)(pk=w.foreign_client.pk + 1000))
    assert (missing.status_code, missing.json()) == (404, response.json())


@pytest.mark.parametrize(("method", "path", "body"), CLIENT_ROUTES, ids=ROUTE_IDS)
def test_it_refuses_another_practices_client_to_a_clinician(w, method, path, body):
    api = session_api(w.clinician.user)
    before = counts()
    response = call(api, method, path, body, w.foreign_client)
    assert response.status_code == 404
    assert counts() == before


@pytest.mark.parametrize(("method", "path", "body"), CLIENT_ROUTES, ids=ROUTE_IDS)
def test_it_refuses_another_practices_client_to_an_admin(w, method, path, body):
    api = session_api(w.admin)
    before = counts()
    response = call(api, method, path, body, w.foreign_client)
    assert response.status_code == 404
    assert counts() == before


@pytest.mark.parametrize(("method", "path", "body"), CLIENT_ROUTES, ids=ROUTE_IDS)
def test_it_refuses_the_other_practices_admin(w, method, path, body):
    api = session_api(w.foreign_admin)
    before = counts()
    response = call(api, method, path, body, w.client)
    assert response.status_code == 404
    assert counts() == before


@pytest.mark.parametrize(("method", "path", "body"), CLIENT_ROUTES, ids=ROUTE_IDS)
def test_it_refuses_a_client_on_staff_routes_even_for_their_own_record(w, method, path, body):
    api = session_api(w.client.user)
    before = counts()
    response = call(api, method, path, body, w.client)
    assert response.status_code == 403
    assert response.json()["detail"] == "This route is for practice staff."
    assert counts() == before


@pytest.mark.parametrize(("method", "path", "body"), CLIENT_ROUTES, ids=ROUTE_IDS)
def test_it_refuses_a_client_asking_for_another_client(w, method, path, body):
    api = session_api(w.client.user)
    response = call(api, method, path, body, w.other_client)
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path", "body"), CLIENT_ROUTES, ids=ROUTE_IDS)
def test_it_lets_the_clinician_reach_their_own_client(w, method, path, body):
    api = session_api(w.clinician.user)
    response = call(api, method, path, body, w.client)
    assert response.status_code in (200, 201), response.json()


@pytest.mark.parametrize(("method", "path", "body"), CLIENT_ROUTES, ids=ROUTE_IDS)
def test_it_lets_an_admin_reach_any_client_of_their_practice(w, method, path, body):
    api = session_api(w.admin)
    response = call(api, method, path, body, w.other_client)
    assert response.status_code in (200, 201), response.json()


def test_it_lists_only_the_clinicians_own_clients(w):
    response = session_api(w.clinician.user).get("/clients")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [w.client.pk]


def test_it_lists_the_whole_practice_to_an_admin_and_nothing_of_another(w):
    response = session_api(w.admin).get("/clients")
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert ids == {w.client.pk, w.other_client.pk}
    assert w.foreign_client.pk not in ids


def test_it_refuses_the_client_list_to_a_client(w):
    before = AuditEvent.objects.count()
    response = session_api(w.client.user).get("/clients")
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


def test_it_refuses_an_agreement_offer_to_the_other_clinician(w):
    response = session_api(w.other_clinician.user).post(
        f"/clients/{w.client.pk}/agreements", {"preset": "cbt"})
    assert response.status_code == 404
    assert ConnectionAgreement.objects.filter(client=w.client).count() == 1


def test_it_refuses_an_invitation_for_another_clinician(w):
    before = counts()
    response = session_api(w.clinician.user).post("/clients", {
        "full_name": "New Person", "email": "new@example.org", "time_zone": "America/New_York",
        "country": "US", "region": "NY", "clinician_id": w.other_clinician.pk})
    assert response.status_code == 404
    assert counts() == before


def test_it_refuses_an_invitation_for_another_practices_clinician_to_an_admin(w):
    before = counts()
    response = session_api(w.admin).post("/clients", {
        "full_name": "New Person", "email": "new@example.org", "time_zone": "America/New_York",
        "country": "US", "region": "NY", "clinician_id": w.foreign_clinician.pk})
    assert response.status_code == 404
    assert counts() == before


@pytest.mark.parametrize("path", ["/me/agreement", "/me/availability?channel=inbox"])
def test_it_refuses_client_routes_to_staff(w, path):
    for user in (w.clinician.user, w.admin):
        before = counts()
        response = session_api(user).get(path)
        assert response.status_code == 403
        assert counts() == before


def test_it_refuses_signing_to_staff(w):
    before = counts()
    response = session_api(w.clinician.user).post("/me/agreement/sign", {"version": 1})
    assert response.status_code == 403
    assert counts() == before


def test_it_gives_a_client_only_their_own_agreement(w):
    agreement(w.other_client, version=2, inbox_promise="Another client's promise")
    response = session_api(w.client.user).get("/me/agreement")
    assert response.status_code == 200
    body = response.json()
    assert body["client_id"] == w.client.pk
    assert body["version"] == 1


def test_it_refuses_a_client_signing_a_version_only_another_client_has(w):
    agreement(w.other_client, version=2)
    before = counts()
    response = session_api(w.client.user).post("/me/agreement/sign", {"version": 2})
    assert response.status_code == 404
    assert counts() == before


@pytest.mark.parametrize("path", ["/me/office-hours", "/me/time-off"])
def test_it_refuses_clinician_routes_to_admins_and_clients(w, path):
    for user in (w.admin, w.client.user):
        response = session_api(user).get(path)
        assert response.status_code == 403


@pytest.mark.parametrize("method", ["get", "put"])
def test_it_refuses_practice_defaults_to_clinicians_and_clients(w, method):
    body = {"inbox_promise": "x", "inbox_response_business_days": 1, "checkin_weekly_cap": 1,
            "checkin_minutes": 10, "crisis_route": "resources"}
    for user in (w.clinician.user, w.client.user):
        api = session_api(user)
        before = counts()
        response = api.get("/practice/defaults") if method == "get" else api.put(
            "/practice/defaults", body)
        assert response.status_code == 403
        assert counts() == before
