"""The clinician may read held messages on purpose, with an explicit POST: the read is audited,
and the messages stay held and unread, so the digest still comes when the hours begin."""

import pytest
from django.urls import reverse

from interlude.audit.models import AuditEvent
from interlude.inbox import holding
from tests import factories
from tests.appointment_support import freeze
from tests.inbox_staff_support import (
    MONDAY_OPEN,
    SUNDAY_NIGHT,
    clinic_at,
    deliver,
    fixed_triage,  # noqa: F401 - autouse
    notifications_of,
    refresh,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(monkeypatch):
    w, person = clinic_at(monkeypatch, SUNDAY_NIGHT)
    message = send(person, "I started the new job today.", SUNDAY_NIGHT)
    return w, message, monkeypatch


def test_it_shows_the_held_messages_and_audits_the_look(client, held):
    w, message, _monkeypatch = held
    factories.verified_login(client, w.clinician.user)

    response = client.post(reverse("inbox_held", args=[message.thread_id]))

    assert response.status_code == 200
    assert "I started the new job today." in response.content.decode()
    event = AuditEvent.objects.get(action="view_held")
    assert (event.actor, event.object_type, event.object_id) == (
        w.clinician.user, "Thread", str(message.thread_id))
    assert event.client_id_ref == message.thread.client_id
    assert event.detail["held"] == 1
    assert "new job" not in str(event.detail)


def test_looking_neither_releases_nor_reads_them(client, held):
    w, message, monkeypatch = held
    factories.verified_login(client, w.clinician.user)
    client.post(reverse("inbox_held", args=[message.thread_id]))

    message = refresh(message)
    assert (message.released_at, message.read_at) == (None, None)
    # The digest still comes at the start of the hours.
    freeze(monkeypatch, MONDAY_OPEN)
    assert holding.release_due(MONDAY_OPEN) == 1
    deliver()
    assert [n.title for n in notifications_of(w.clinician.user)] == ["Your inbox digest"]


def test_a_plain_visit_does_not_show_them(client, held):
    w, message, _monkeypatch = held
    factories.verified_login(client, w.clinician.user)

    response = client.get(reverse("inbox_held", args=[message.thread_id]))

    assert response.status_code == 405
    assert not AuditEvent.objects.filter(action="view_held").exists()
