"""Idle sessions end: staff after STAFF_IDLE_MINUTES, clients after CLIENT_IDLE_MINUTES."""

import time

import pytest
from django.test import override_settings

from interlude.accounts.middleware import SESSION_LAST_SEEN
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def idle_for(client, minutes):
    session = client.session
    session[SESSION_LAST_SEEN] = time.time() - minutes * 60
    session.save()


@override_settings(STAFF_IDLE_MINUTES=15, CLIENT_IDLE_MINUTES=30)
def test_it_logs_staff_out_after_their_idle_time_while_a_client_stays_in(client):
    w = factories.world()
    factories.verified_login(client, w.admin)
    idle_for(client, 16)
    response = client.get("/practice/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?idle=1&next=%2Fpractice%2F"
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="logout")
    assert event.actor == w.admin
    assert event.detail == {"reason": "idle"}

    client.logout()
    factories.verified_login(client, w.client.user)
    idle_for(client, 16)
    response = client.get("/me/profile/")
    assert response.status_code == 200
    assert client.session["_auth_user_id"] == str(w.client.user.pk)


@override_settings(STAFF_IDLE_MINUTES=5)
def test_it_takes_the_staff_idle_time_from_settings(client):
    w = factories.world()
    factories.verified_login(client, w.admin)
    idle_for(client, 4)
    assert client.get("/practice/").status_code == 200
    idle_for(client, 6)
    assert client.get("/practice/").status_code == 302
    assert "_auth_user_id" not in client.session


@override_settings(CLIENT_IDLE_MINUTES=30)
def test_it_logs_a_client_out_after_the_client_idle_time(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    idle_for(client, 31)
    response = client.get("/me/profile/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_tells_the_person_why_they_see_the_login_page(client):
    response = client.get("/login/?idle=1&next=/practice/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "You were logged out after a period of inactivity." in body
    assert 'name="next" value="/practice/"' in body
