"""When the clinician's office hours open, the held messages are released: they become unread,
and the clinician gets exactly one digest, in-app and by email, however many messages and
clients there were and however many times the release runs."""

import pytest
from django.urls import reverse

from interlude.inbox import holding
from interlude.outreach.models import Delivery
from tests import factories
from tests.appointment_support import freeze
from tests.inbox_staff_support import (
    ELEVATED_TEXT,
    MONDAY_OPEN,
    SUNDAY_NIGHT,
    at,
    deliver,
    emails_to,
    fixed_triage,  # noqa: F401 - autouse
    inbox_client,
    notifications_of,
    refresh,
    send,
    with_hours,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekend(monkeypatch):
    """Three messages from two clients over the weekend, one of them flagged."""
    w = factories.world()
    with_hours(w.clinician)
    first, second = inbox_client(w.clinician), inbox_client(w.clinician)
    sent = [send(first, "Just checking in about Thursday.", at("2030-03-02 10:00")),
            send(first, ELEVATED_TEXT, SUNDAY_NIGHT),
            send(second, "Could we talk about my homework?", SUNDAY_NIGHT)]
    return w, sent, monkeypatch


def release_twice(monkeypatch):
    freeze(monkeypatch, MONDAY_OPEN)
    released = holding.release_due(MONDAY_OPEN)
    again = holding.release_due(at("2030-03-04 09:01"))
    deliver()
    return released, again


def test_it_releases_every_held_message_at_the_window_start(weekend):
    w, sent, monkeypatch = weekend
    released, again = release_twice(monkeypatch)
    assert (released, again) == (3, 0)
    assert all(refresh(m).released_at == MONDAY_OPEN for m in sent)
    assert all(refresh(m).read_at is None for m in sent)


def test_it_sends_one_digest_in_app_and_one_by_email(weekend):
    w, _sent, monkeypatch = weekend
    release_twice(monkeypatch)
    user = w.clinician.user

    [note] = notifications_of(user)
    assert note.title == "Your inbox digest"
    assert note.body == ("3 messages arrived outside your hours from 2 clients. "
                         "1 is flagged for attention.")
    assert note.link == reverse("inbox")
    [email] = emails_to(user)
    assert "3 messages arrived outside your hours" in email.body
    assert reverse("inbox") in email.body
    # Email leaves Interlude: counts and a link, never what a client wrote.
    assert "homework" not in email.body and "hopeless" not in email.body
    kinds = Delivery.objects.filter(recipient=user).values_list("kind", "channel")
    assert sorted(kinds) == [("inbox_digest", "email"), ("inbox_digest", "in_app")]


def test_the_released_messages_are_unread_in_the_inbox(client, weekend):
    w, _sent, monkeypatch = weekend
    release_twice(monkeypatch)
    factories.verified_login(client, w.clinician.user)

    rows = client.get(reverse("inbox")).context["rows"]

    assert sorted(row["unread"] for row in rows) == [1, 2]
    assert all(row["held"] == "" for row in rows)


def test_nothing_is_released_before_the_window_opens(weekend):
    w, sent, monkeypatch = weekend
    freeze(monkeypatch, at("2030-03-04 08:59"))
    assert holding.release_due(at("2030-03-04 08:59")) == 0
    deliver()
    assert notifications_of(w.clinician.user) == []
    assert all(refresh(m).released_at is None for m in sent)
