"""The API asks for the same confirmation as the editor before it opens the inbox of a client
with a risk history, and audits it."""

import pytest

from interlude.audit.models import AuditEvent
from interlude.inbox.models import Message, Thread

from .api_support import counts, fast_passwords, session_api  # noqa: F401
from .factories import world

pytestmark = pytest.mark.django_db


def urgent_history(client):
    thread = Thread.objects.create(practice=client.practice, client=client,
                                   clinician=client.clinician)
    Message.objects.create(thread=thread, sender=Message.Sender.CLIENT, author=client.user,
                           body="an earlier urgent message", level=Message.Level.URGENT)


def test_it_refuses_to_open_the_inbox_until_the_risk_history_is_confirmed():
    w = world()
    urgent_history(w.client)
    api = session_api(w.clinician.user)
    before = counts()
    response = api.post(f"/clients/{w.client.pk}/agreements",
                        {"preset": "cbt", "fields": {"inbox_open": True}})
    assert response.status_code == 409
    assert response.json()["code"] == "open_inbox_risk_unconfirmed"
    assert "confirm_open_inbox_risk" in response.json()["detail"]
    assert counts() == before
    response = api.post(f"/clients/{w.client.pk}/agreements",
                        {"preset": "cbt", "fields": {"inbox_open": True},
                         "confirm_open_inbox_risk": True})
    assert response.status_code == 201
    assert w.client.agreements.get().inbox_open is True
    assert AuditEvent.objects.filter(action="confirm_open_inbox_risk",
                                     client_id_ref=w.client.pk).count() == 1


def test_it_asks_nothing_when_the_client_has_no_risk_history():
    w = world()
    response = session_api(w.clinician.user).post(
        f"/clients/{w.client.pk}/agreements", {"preset": "cbt", "fields": {"inbox_open": True}})
    assert response.status_code == 201
    assert not AuditEvent.objects.filter(action="confirm_open_inbox_risk").exists()
