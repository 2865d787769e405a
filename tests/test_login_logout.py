"""Logging out takes a POST, ends the session and is recorded."""

import pytest

from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_logs_out_on_post(client):
    w = factories.world()
    factories.verified_login(client, w.clinician.user)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="logout")
    assert event.actor == w.clinician.user
    assert event.detail == {"reason": "user"}


def test_it_refuses_a_get_so_a_link_cannot_log_anyone_out(client):
    w = factories.world()
    factories.verified_login(client, w.clinician.user)
    response = client.get("/logout/")
    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(w.clinician.user.pk)
    assert not AuditEvent.objects.filter(action="logout").exists()


def test_it_shows_the_login_form_with_its_labels(client):
    response = client.get("/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<label for="id_email">Email</label>' in body
    assert '<label for="id_password">Password</label>' in body
    assert "Log in</button>" in body
    assert "period of inactivity" not in body
