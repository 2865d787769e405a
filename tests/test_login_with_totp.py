"""Staff log in with a password and then a code from their authenticator app."""

import json

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from interlude.accounts.management.commands.totp import current_code
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def a_wrong_code(device):
    """A six-digit code outside the window of codes the device would accept right now."""
    window = range(-device.tolerance - 1, device.tolerance + 2)
    accepted = {totp(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=d)
                for d in window}
    guess = 123456
    while guess in accepted:
        guess += 1
    return f"{guess:06d}"


def log_in_with_password(client, user):
    return client.post("/login/", {"email": user.email, "password": factories.PASSWORD})


def test_it_asks_a_clinician_for_a_code_after_the_password(client):
    w = factories.world()
    response = log_in_with_password(client, w.clinician.user)
    assert response.status_code == 302
    assert response["Location"] == "/login/verify/"
    # The password alone opens nothing but the login steps.
    assert client.get("/clients/")["Location"] == "/login/verify/"
    assert client.get("/practice/")["Location"] == "/login/verify/"
    assert DEVICE_ID_SESSION_KEY not in client.session
    page = client.get("/login/verify/")
    assert page.status_code == 200
    assert "One-time code" in page.content.decode()


def test_it_lets_the_clinician_in_with_the_current_code(client):
    w = factories.world()
    user = w.clinician.user
    device = TOTPDevice.objects.get(user=user)
    log_in_with_password(client, user)
    code = current_code(device)
    response = client.post("/login/verify/", {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session["_auth_user_id"] == str(user.pk)
    event = AuditEvent.objects.get(action="login")
    assert event.actor == user
    assert event.object_id == str(user.pk)
    assert event.detail == {"second_factor": "totp"}
    assert code not in json.dumps(event.detail)


def test_it_refuses_a_wrong_code_and_records_the_failure(client):
    w = factories.world()
    user = w.clinician.user
    device = TOTPDevice.objects.get(user=user)
    log_in_with_password(client, user)
    wrong = a_wrong_code(device)
    response = client.post("/login/verify/", {"code": wrong})
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/clients/")["Location"] == "/login/verify/"
    assert not AuditEvent.objects.filter(action="login").exists()
    failure = AuditEvent.objects.get(action="login_failed")
    assert failure.object_id == str(user.pk)
    assert failure.detail == {"step": "code", "reason": "bad_code"}
    assert wrong not in json.dumps(failure.detail)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_it_never_writes_the_password_into_the_audit_trail(client):
    w = factories.world()
    user = w.clinician.user
    client.post("/login/", {"email": user.email, "password": "not the password"})
    log_in_with_password(client, user)
    trail = json.dumps(list(AuditEvent.objects.values("detail", "actor_label", "object_id")))
    assert "not the password" not in trail
    assert factories.PASSWORD not in trail
    assert AuditEvent.objects.filter(action="login_failed").get().detail == {
        "step": "password", "reason": "bad_password"}


def test_it_sends_the_person_back_to_the_page_they_asked_for(client):
    w = factories.world()
    user = w.clinician.user
    client.post("/login/", {"email": user.email, "password": factories.PASSWORD,
                            "next": "/hours/"})
    response = client.post("/login/verify/", {"code": current_code(user.totpdevice_set.get())})
    assert response["Location"] == "/hours/"


def test_it_ignores_a_next_page_on_another_site(client):
    w = factories.world()
    user = w.client.user
    response = client.post("/login/", {"email": user.email, "password": factories.PASSWORD,
                                       "next": "https://evil.example/steal"})
    assert response.status_code == 302
    assert response["Location"] == "/"
