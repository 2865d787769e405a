"""API tokens: made from a verified session, shown once, stored as a hash, touched at most once a
minute, and refused once revoked or when their owner is deactivated."""

from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from interlude.accounts.models import ApiToken
from interlude.audit.models import AuditEvent

from .api_support import Api, counts, fast_passwords, session_api, token_api  # noqa: F401
from .factories import world

pytestmark = pytest.mark.django_db


def bearer(raw):
    return Api(headers={"Authorization": f"Bearer {raw}"})


def test_it_creates_a_token_from_a_verified_session_and_shows_it_once():
    w = world()
    api = session_api(w.clinician.user)
    response = api.post("/tokens", {"name": "reporting script"})
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("itl_")
    row = ApiToken.objects.get(pk=body["id"])
    assert (row.user, row.name) == (w.clinician.user, "reporting script")
    assert body["token"] not in row.token_hash
    assert AuditEvent.objects.filter(action="create", object_type="ApiToken",
                                     object_id=str(row.pk), actor=w.clinician.user).exists()
    listed = api.get("/tokens").json()
    assert [t["id"] for t in listed] == [row.pk]
    assert "token" not in listed[0]


def test_a_new_token_signs_in_as_its_owner():
    w = world()
    raw = session_api(w.clinician.user).post("/tokens", {"name": "x"}).json()["token"]
    response = bearer(raw).get("/clients")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["items"]] == [w.client.pk]
    assert bearer(raw).get("/me").json()["email"] == w.clinician.user.email


def test_it_refuses_to_create_a_token_with_a_token():
    w = world()
    api = token_api(w.clinician.user)
    before = counts()
    response = api.post("/tokens", {"name": "another"})
    assert response.status_code == 401
    assert counts() == before


def test_it_refuses_to_create_a_token_from_an_unverified_staff_session():
    w = world()
    http = HttpClient()
    http.force_login(w.admin)
    before = counts()
    assert Api(http).post("/tokens", {"name": "x"}).status_code == 401
    assert counts() == before


def test_it_refuses_a_revoked_token():
    w = world()
    api = session_api(w.clinician.user)
    created = api.post("/tokens", {"name": "x"}).json()
    assert bearer(created["token"]).get("/me").status_code == 200
    response = api.delete(f"/tokens/{created['id']}")
    assert response.status_code == 204
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is not None
    assert AuditEvent.objects.filter(action="revoke", object_id=str(created["id"])).exists()
    assert bearer(created["token"]).get("/me").status_code == 401


def test_a_token_can_revoke_itself():
    w = world()
    _row, raw = ApiToken.issue(w.client.user, "phone")
    assert bearer(raw).delete(f"/tokens/{_row.pk}").status_code == 204
    assert bearer(raw).get("/me").status_code == 401


def test_it_refuses_to_revoke_someone_elses_token():
    w = world()
    theirs, raw = ApiToken.issue(w.other_clinician.user, "theirs")
    before = counts()
    response = session_api(w.clinician.user).delete(f"/tokens/{theirs.pk}")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert counts() == before
    assert bearer(raw).get("/me").status_code == 200


def test_it_refuses_the_token_of_a_deactivated_user():
    w = world()
    _row, raw = ApiToken.issue(w.clinician.user, "x")
    w.clinician.user.is_active = False
    w.clinician.user.save()
    assert bearer(raw).get("/me").status_code == 401


def test_it_refuses_a_made_up_token():
    world()
    assert bearer("itl_not-a-real-token").get("/me").status_code == 401
    assert Api(headers={"Authorization": "Basic abc"}).get("/me").status_code == 401


def test_it_needs_no_csrf_token_with_a_bearer_token():
    w = world()
    _row, raw = ApiToken.issue(w.clinician.user, "x")
    api = Api(HttpClient(enforce_csrf_checks=True),
              headers={"Authorization": f"Bearer {raw}"})
    response = api.post(f"/clients/{w.client.pk}/agreements", {"preset": "cbt"})
    assert response.status_code == 201


def test_it_records_when_a_token_was_used_at_most_once_a_minute():
    w = world()
    row, raw = ApiToken.issue(w.clinician.user, "x")
    bearer(raw).get("/me")
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=5)
    bearer(raw).get("/me")
    row.refresh_from_db()
    assert row.last_used_at == first
    stale = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=stale)
    bearer(raw).get("/me")
    row.refresh_from_db()
    assert row.last_used_at > stale + timedelta(minutes=1)


def test_it_refuses_a_token_name_that_is_too_long():
    w = world()
    api = session_api(w.clinician.user)
    before = counts()
    response = api.post("/tokens", {"name": "x" * 101})
    assert response.status_code == 422
    assert "name" in response.json()["errors"]
    assert counts() == before
