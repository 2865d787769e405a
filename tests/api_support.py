"""Helpers for the API tests: signed-in test clients, bearer tokens and row counts."""

import json

import pytest
from django.test import Client as HttpClient

from interlude.accounts.models import ApiToken, Client, User
from interlude.agreements.models import (
    AgreementSignature,
    ConnectionAgreement,
    OfficeHours,
    PracticeDefaults,
    TimeOff,
)
from interlude.audit.models import AuditEvent

from .factories import verified_login

BASE = "/api/v1"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """These tests are about the API, not password storage: skip argon2's deliberate cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Api:
    """A test client that speaks JSON to /api/v1/."""

    def __init__(self, http=None, headers=None):
        self.http = http or HttpClient()
        self.headers = headers or {}

    def _send(self, method, path, body=None, **kw):
        call = getattr(self.http, method)
        if body is not None:
            kw["data"] = body if isinstance(body, str) else json.dumps(body)
            kw["content_type"] = "application/json"
        return call(BASE + path, headers=self.headers, **kw)

    def get(self, path, **kw):
        return self._send("get", path, **kw)

    def post(self, path, body=None, **kw):
        return self._send("post", path, {} if body is None else body, **kw)

    def put(self, path, body=None, **kw):
        return self._send("put", path, {} if body is None else body, **kw)

    def delete(self, path, **kw):
        return self._send("delete", path, **kw)


def session_api(user, **client_kw):
    """Signed in with the browser session, past the second factor where the user has one."""
    return Api(verified_login(HttpClient(**client_kw), user))


def token_api(user, name="tests"):
    _row, raw = ApiToken.issue(user, name)
    return Api(headers={"Authorization": f"Bearer {raw}"})


def staff_user(who):
    """A Clinician row or a User: the User."""
    return getattr(who, "user", who)


COUNTED = (AuditEvent, ConnectionAgreement, AgreementSignature, OfficeHours, TimeOff,
           PracticeDefaults, Client, User, ApiToken)


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def field_errors(response):
    body = response.json()
    assert response.status_code == 422, body
    return body["errors"]
