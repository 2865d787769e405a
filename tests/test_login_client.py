"""Clients log in with a password alone, unless they turned two-step login on."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from interlude.accounts.management.commands.totp import current_code
from interlude.accounts.middleware import SESSION_OTP_REQUIRED
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_lets_a_client_without_two_factor_in_with_the_password(client):
    w = factories.world()
    user = w.client.user
    response = client.post("/login/", {"email": user.email.upper(),
                                       "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert SESSION_OTP_REQUIRED not in client.session
    assert client.get("/me/profile/").status_code == 200
    event = AuditEvent.objects.get(action="login")
    assert event.actor == user
    assert event.detail == {"second_factor": "none"}


def test_it_asks_a_client_with_two_factor_for_a_code(client):
    w = factories.world()
    user = w.client.user
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.post("/login/", {"email": user.email, "password": factories.PASSWORD})
    assert response["Location"] == "/login/verify/"
    assert client.session[SESSION_OTP_REQUIRED] is True
    assert client.get("/me/profile/")["Location"] == "/login/verify/"
    assert client.get("/me/crisis/")["Location"] == "/login/verify/"
    assert not AuditEvent.objects.filter(action="login").exists()

    response = client.post("/login/verify/", {"code": current_code(device)})
    assert response["Location"] == "/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/me/profile/").status_code == 200


def test_it_refuses_a_wrong_password_without_saying_which_part_was_wrong(client):
    w = factories.world()
    wrong_password = client.post("/login/", {"email": w.client.user.email, "password": "nope"})
    no_such_person = client.post("/login/", {"email": "nobody@example.org", "password": "nope"})
    for response in (wrong_password, no_such_person):
        assert response.status_code == 200
        assert "Email or password is incorrect." in response.content.decode()
    assert "_auth_user_id" not in client.session
    reasons = sorted(AuditEvent.objects.filter(action="login_failed")
                     .values_list("detail__reason", flat=True))
    assert reasons == ["bad_password", "unknown_email"]


def test_it_refuses_a_deactivated_client(client):
    w = factories.world()
    w.client.user.is_active = False
    w.client.user.save()
    response = client.post("/login/", {"email": w.client.user.email,
                                       "password": factories.PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
