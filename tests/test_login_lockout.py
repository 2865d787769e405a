"""Ten failed attempts lock an account for five minutes; other accounts are untouched."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from interlude.accounts import services
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def fail(client, user, times):
    response = None
    for _ in range(times):
        response = client.post("/login/", {"email": user.email, "password": "wrong guess"})
    return response


def test_it_locks_the_account_after_ten_failures(client):
    w = factories.world()
    user = w.client.user
    ninth = fail(client, user, 9)
    assert "Email or password is incorrect." in ninth.content.decode()
    assert services.locked_until(user) is None

    tenth = fail(client, user, 1)
    assert tenth.status_code == 200
    assert "this account is locked" in tenth.content.decode()
    until = services.locked_until(user)
    assert until is not None
    assert timedelta(minutes=4) < until - timezone.now() <= timedelta(minutes=5)

    right_password = client.post("/login/", {"email": user.email,
                                             "password": factories.PASSWORD})
    assert "this account is locked" in right_password.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", detail__reason="locked").count() == 1
    assert not AuditEvent.objects.filter(action="login").exists()


def test_it_leaves_other_accounts_open(client):
    w = factories.world()
    fail(client, w.client.user, 10)
    response = client.post("/login/", {"email": w.other_client.user.email,
                                       "password": factories.PASSWORD})
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(w.other_client.user.pk)


def test_it_does_not_extend_the_lock_for_attempts_made_during_it(client):
    w = factories.world()
    user = w.client.user
    fail(client, user, 10)
    until = services.locked_until(user)
    fail(client, user, 3)
    assert services.locked_until(user) == until


def test_it_opens_again_after_five_minutes():
    w = factories.world()
    user = w.client.user
    for _ in range(10):
        services.record_login_failure(user, "password", "bad_password")
    now = timezone.now()
    assert services.locked_until(user, now=now + timedelta(minutes=4)) is not None
    assert services.locked_until(user, now=now + timedelta(minutes=6)) is None


def test_it_counts_wrong_codes_too_and_ends_the_half_login(client):
    w = factories.world()
    user = w.clinician.user
    client.post("/login/", {"email": user.email, "password": factories.PASSWORD})
    for _ in range(9):
        services.record_login_failure(user, "code", "bad_code")
    response = client.post("/login/verify/", {"code": "zzzzzzzz"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    assert services.locked_until(user) is not None


def test_it_forgets_failures_before_a_successful_login(client):
    w = factories.world()
    user = w.client.user
    fail(client, user, 9)
    client.post("/login/", {"email": user.email, "password": factories.PASSWORD})
    client.post("/logout/")
    fail(client, user, 1)
    assert services.locked_until(user) is None


@override_settings(LOGIN_LOCK_AFTER=3)
def test_it_takes_the_threshold_from_settings(client):
    w = factories.world()
    fail(client, w.client.user, 3)
    assert services.locked_until(w.client.user) is not None
