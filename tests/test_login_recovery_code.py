"""A recovery code stands in for the phone once, and is spent."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from interlude.accounts import services
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_lets_a_clinician_in_with_a_recovery_code_only_once(client):
    w = factories.world()
    user = w.clinician.user
    codes = services.regenerate_recovery_codes(user)
    assert len(codes) == 10 and len(set(codes)) == 10

    client.post("/login/", {"email": user.email, "password": factories.PASSWORD})
    response = client.post("/login/verify/", {"code": codes[0].upper()})
    assert response.status_code == 302
    assert response["Location"] == "/"
    device = StaticDevice.objects.get(user=user)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert StaticToken.objects.filter(device=device).count() == 9
    assert not StaticToken.objects.filter(device=device, token=codes[0]).exists()
    assert AuditEvent.objects.get(action="login").detail == {"second_factor": "recovery_code"}

    client.post("/logout/")
    client.post("/login/", {"email": user.email, "password": factories.PASSWORD})
    again = client.post("/login/verify/", {"code": codes[0]})
    assert again.status_code == 200
    assert "That code did not work" in again.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="login").count() == 1
    assert StaticToken.objects.filter(device=device).count() == 9


def test_it_refuses_another_persons_recovery_code(client):
    w = factories.world()
    others = services.regenerate_recovery_codes(w.other_clinician.user)
    user = w.clinician.user
    services.regenerate_recovery_codes(user)
    client.post("/login/", {"email": user.email, "password": factories.PASSWORD})
    response = client.post("/login/verify/", {"code": others[0]})
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert StaticToken.objects.filter(device__user=w.other_clinician.user).count() == 10
