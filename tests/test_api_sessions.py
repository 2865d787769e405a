"""Signing in to the API with the browser session: the second factor for staff, CSRF for
changes, and nothing for anyone not signed in or deactivated."""

import pytest
from django.test import Client as HttpClient

from interlude.audit.models import AuditEvent

from .api_support import Api, counts, fast_passwords, session_api  # noqa: F401
from .factories import agreement, world

pytestmark = pytest.mark.django_db


def test_it_refuses_a_caller_who_is_not_signed_in():
    w = world()
    before = counts()
    response = Api().get(f"/clients/{w.client.pk}")
    assert response.status_code == 401
    assert counts() == before


def test_it_refuses_a_staff_session_that_has_not_passed_the_second_factor():
    w = world()
    agreement(w.client)
    http = HttpClient()
    http.force_login(w.clinician.user)
    before = AuditEvent.objects.count()
    response = Api(http).get(f"/clients/{w.client.pk}")
    assert response.status_code == 401
    assert "second factor" in response.json()["detail"]
    assert AuditEvent.objects.count() == before


def test_it_refuses_an_unverified_admin_session_on_the_client_list():
    w = world()
    http = HttpClient()
    http.force_login(w.admin)
    assert Api(http).get("/clients").status_code == 401


def test_it_accepts_a_staff_session_past_the_second_factor():
    w = world()
    response = session_api(w.clinician.user).get("/me")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == w.clinician.user.email
    assert body["role"] == "clinician"
    assert body["clinician_id"] == w.clinician.pk
    assert body["practice"]["id"] == w.practice.pk
    assert body["is_admin"] is False
    assert session_api(w.admin).get("/me").json()["is_admin"] is True


def test_it_accepts_a_client_session_without_a_second_factor():
    w = world()
    response = session_api(w.client.user).get("/me")
    assert response.status_code == 200
    body = response.json()
    assert (body["role"], body["client_id"]) == ("client", w.client.pk)


def test_it_refuses_a_deactivated_user_with_a_live_session():
    w = world()
    api = session_api(w.clinician.user)
    w.clinician.user.is_active = False
    w.clinician.user.save()
    assert api.get("/me").status_code == 401


def test_it_refuses_a_change_without_the_csrf_token():
    w = world()
    agreement(w.client)
    api = session_api(w.clinician.user, enforce_csrf_checks=True)
    before = counts()
    response = api.post(f"/clients/{w.client.pk}/agreements", {"preset": "cbt"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert counts() == before


def test_it_accepts_a_change_with_the_csrf_token():
    w = world()
    api = session_api(w.clinician.user, enforce_csrf_checks=True)
    secret = "a" * 32  # what a page's form would carry: the cookie and the header agree
    api.http.cookies["csrftoken"] = secret
    api.headers = {"X-CSRFToken": secret}
    response = api.post(f"/clients/{w.client.pk}/agreements", {"preset": "cbt"})
    assert response.status_code == 201, response.json()
    assert w.client.agreements.get().version == 1


def test_it_reads_without_the_csrf_token():
    w = world()
    api = session_api(w.clinician.user, enforce_csrf_checks=True)
    assert api.get("/clients").status_code == 200
