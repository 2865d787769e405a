"""A message sent outside the clinician's office hours is held: before its release it is neither
unread in the clinician's inbox nor notified to them, and its text stays out of the thread."""

import pytest
from django.urls import reverse

from interlude.inbox import holding
from tests import factories
from tests.appointment_support import freeze
from tests.inbox_staff_support import (
    MONDAY_OPEN,
    SUNDAY_NIGHT,
    deliver,
    deliveries_to,
    fixed_triage,  # noqa: F401 - autouse
    inbox_client,
    notifications_of,
    send,
    with_hours,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(monkeypatch):
    w = factories.world()
    with_hours(w.clinician)
    client = inbox_client(w.clinician)
    message = send(client, "Something about my sister I want to tell you.", SUNDAY_NIGHT)
    freeze(monkeypatch, SUNDAY_NIGHT)
    return w, client, message


def test_it_holds_the_message_until_the_next_window(held):
    _w, _client, message = held
    assert message.released_at is None
    assert message.held_until == MONDAY_OPEN
    assert message.read_at is None


def test_it_neither_notifies_nor_emails_the_clinician_before_release(held):
    w, _client, _message = held
    holding.release_due(SUNDAY_NIGHT)
    deliver()
    assert not deliveries_to(w.clinician.user).exists()
    assert notifications_of(w.clinician.user) == []


def test_the_inbox_shows_a_held_count_but_nothing_unread(client, held):
    w, _client, _message = held
    factories.verified_login(client, w.clinician.user)

    response = client.get(reverse("inbox"))

    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row["unread"] == 0
    assert row["held"] == "1 held until Monday 4 March, 9:00"
    assert "unread" not in response.content.decode().split("<tbody>")[1]


def test_the_thread_keeps_the_held_text_out_of_sight_and_unread(client, held):
    w, _client, message = held
    factories.verified_login(client, w.clinician.user)

    response = client.get(reverse("inbox_thread", args=[message.thread_id]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Something about my sister" not in body
    assert "1 held until Monday 4 March, 9:00" in body
    message.refresh_from_db()
    assert message.read_at is None and message.released_at is None
