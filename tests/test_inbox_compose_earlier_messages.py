"""A long conversation shows its last messages first, with a link to the earlier ones."""

from datetime import UTC, datetime, timedelta

import pytest

from interlude.inbox.models import Message, Thread
from interlude.inbox.views_client import THREAD_LIMIT
from tests import factories
from tests.appointment_support import signed_client

pytestmark = pytest.mark.django_db


def conversation(client, count):
    thread = Thread.objects.create(practice=client.practice, client=client,
                                   clinician=client.clinician)
    start = datetime(2026, 11, 2, 15, tzinfo=UTC)
    for number in range(count):
        at = start + timedelta(hours=number)
        Message.objects.create(thread=thread, sender=Message.Sender.CLIENT, author=client.user,
                               body=f"note number {number:03d}", created_at=at, released_at=at)


def test_it_shows_the_last_messages_and_links_to_the_earlier_ones(client):
    doc = factories.clinician(factories.practice())
    factories.weekday_hours(doc)
    person = signed_client(doc)
    conversation(person, THREAD_LIMIT + 5)
    factories.verified_login(client, person.user)
    page = client.get("/me/messages/").content.decode()
    assert f"note number {THREAD_LIMIT + 4:03d}" in page
    assert "note number 004" not in page
    assert "Earlier messages" in page
    oldest_shown = Message.objects.order_by("created_at")[5]
    earlier = client.get(f"/me/messages/?before={oldest_shown.pk}").content.decode()
    assert "note number 000" in earlier and "note number 004" in earlier
    assert "note number 005" not in earlier
    assert "Earlier messages" not in earlier


def test_it_ignores_a_malformed_before_value(client):
    doc = factories.clinician(factories.practice())
    person = signed_client(doc)
    conversation(person, 3)
    factories.verified_login(client, person.user)
    page = client.get("/me/messages/?before=abc").content.decode()
    assert "note number 002" in page and "note number 000" in page
