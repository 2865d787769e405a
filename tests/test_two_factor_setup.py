"""Clients may turn two-step login on and off; staff may renew recovery codes but never turn
it off; a password alone can never change the second factor."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from interlude.accounts import services
from interlude.accounts.management.commands.totp import current_code
from interlude.accounts.middleware import SESSION_OTP_REQUIRED
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_lets_a_client_turn_two_factor_on(client):
    w = factories.world()
    user = w.client.user
    factories.verified_login(client, user)
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    body = page.content.decode()
    assert services.totp_secret(device) in body
    assert "<svg" in body

    response = client.post("/account/two-factor/", {"code": current_code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True
    codes = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in response.content.decode() for code in codes)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session[SESSION_OTP_REQUIRED] is True
    assert AuditEvent.objects.filter(action="two_factor_enabled", actor=user).count() == 1
    # A client turning it on is not a login.
    assert not AuditEvent.objects.filter(action="login").exists()


def test_it_shows_the_status_once_it_is_on(client):
    w = factories.world()
    factories.verified_login(client, w.clinician.user)
    services.regenerate_recovery_codes(w.clinician.user)
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "You have 10 unused recovery codes." in body
    assert "/account/two-factor/turn-off/" not in body  # staff cannot turn it off
    assert TOTPDevice.objects.filter(user=w.clinician.user).count() == 1


def test_it_makes_new_recovery_codes_that_replace_the_old_ones(client):
    w = factories.world()
    user = w.clinician.user
    old = services.regenerate_recovery_codes(user)
    factories.verified_login(client, user)
    response = client.post("/account/two-factor/recovery-codes/")
    assert response.status_code == 200
    new = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(new) == 10
    assert not new & set(old)
    assert all(code in response.content.decode() for code in new)
    assert AuditEvent.objects.filter(action="recovery_codes_regenerated").count() == 2


def test_it_lets_a_client_turn_two_factor_off_with_a_code(client):
    w = factories.world()
    user = w.client.user
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    services.regenerate_recovery_codes(user)
    factories.verified_login(client, user)
    response = client.post("/account/two-factor/turn-off/", {"code": current_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert SESSION_OTP_REQUIRED not in client.session
    assert AuditEvent.objects.filter(action="two_factor_disabled", actor=user).count() == 1
    assert client.get("/me/profile/").status_code == 200


def test_it_keeps_two_factor_on_when_the_code_is_wrong(client):
    w = factories.world()
    user = w.client.user
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    factories.verified_login(client, user)
    response = client.post("/account/two-factor/turn-off/", {"code": "zzzzzzzz"})
    assert response.status_code == 400
    assert "still on" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert not AuditEvent.objects.filter(action="two_factor_disabled").exists()


def test_it_refuses_to_turn_two_factor_off_for_staff(client):
    w = factories.world()
    user = w.clinician.user
    device = TOTPDevice.objects.get(user=user)
    factories.verified_login(client, user)
    response = client.post("/account/two-factor/turn-off/", {"code": current_code(device)})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


def test_it_never_lets_a_password_alone_replace_the_device_or_codes(client):
    w = factories.world()
    user = w.clinician.user
    services.regenerate_recovery_codes(user)
    before = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    client.post("/login/", {"email": user.email, "password": factories.PASSWORD})
    assert client.get("/account/two-factor/")["Location"] == "/login/verify/"
    assert client.post("/account/two-factor/", {"code": "123456"})["Location"] == "/login/verify/"
    response = client.post("/account/two-factor/recovery-codes/")
    assert response["Location"] == "/account/two-factor/"
    after = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert after == before
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_it_stops_asking_other_sessions_for_a_code_once_turned_off(client):
    w = factories.world()
    user = w.client.user
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post("/login/", {"email": user.email, "password": factories.PASSWORD})
    assert client.get("/me/profile/")["Location"] == "/login/verify/"
    device.delete()  # turned off from another device
    assert client.get("/login/verify/")["Location"] == "/"
    assert client.get("/me/profile/").status_code == 200
