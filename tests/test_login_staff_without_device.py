"""Staff without an authenticator set it up right after the password, before anything else."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def newcomer():
    w = factories.world()
    return factories.clinician(w.practice, with_totp=False).user


def test_it_sends_staff_without_a_device_to_set_one_up(client, newcomer):
    response = client.post("/login/", {"email": newcomer.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/"
    assert client.get("/clients/")["Location"] == "/login/verify/"
    assert client.get("/login/verify/")["Location"] == "/account/two-factor/"
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and 'role="img"' in body
    pending = TOTPDevice.objects.get(user=newcomer)
    assert pending.confirmed is False
    assert not AuditEvent.objects.filter(action="login").exists()


def test_it_shows_the_same_secret_until_the_device_is_confirmed(client, newcomer):
    client.post("/login/", {"email": newcomer.email, "password": factories.PASSWORD})
    client.get("/account/two-factor/")
    client.get("/account/two-factor/")
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1


def test_it_completes_the_login_when_the_new_device_is_confirmed(client, newcomer):
    client.post("/login/", {"email": newcomer.email, "password": factories.PASSWORD})
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=newcomer)
    response = client.post("/account/two-factor/", {"code": code_for(device)})
    assert response.status_code == 200
    body = response.content.decode()
    tokens = list(StaticToken.objects.filter(device__user=newcomer).values_list("token", flat=True))
    assert len(tokens) == 10
    assert all(token in body for token in tokens)
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/practice/").status_code == 404  # in, though not an admin
    assert AuditEvent.objects.get(action="login").detail == {"second_factor": "totp_setup"}
    assert AuditEvent.objects.filter(action="two_factor_enabled", actor=newcomer).count() == 1


def test_it_refuses_a_wrong_setup_code(client, newcomer):
    client.post("/login/", {"email": newcomer.email, "password": factories.PASSWORD})
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=newcomer)
    wrong = "999999" if code_for(device) != "999999" else "999998"
    response = client.post("/account/two-factor/", {"code": wrong})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert not StaticToken.objects.filter(device__user=newcomer).exists()
