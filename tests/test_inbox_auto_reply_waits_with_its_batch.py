"""The automatic reply to a held message reaches the client at once and the clinician only with
the batch it answered: out of hours it must not move the thread up their inbox or show them that
a message is waiting."""

from datetime import timedelta

import pytest

from interlude.inbox import holding, staff
from interlude.inbox.models import Message, Thread
from tests import factories
from tests.test_inbox_auto_reply_once_per_batch import (
    MONDAY_9_IN_LOS_ANGELES,
    SATURDAY,
    ana,  # noqa: F401 - a fixture
    send,
)

pytestmark = pytest.mark.django_db


def order(clinician):
    return [thread.client_id for thread in staff.inbox_threads(clinician)]


def test_it_keeps_the_automatic_reply_from_the_clinician_until_the_batch_is_released(
        client, monkeypatch, ana):  # noqa: F811
    rivera = ana.clinician
    Thread.objects.create(practice=rivera.practice, clinician=rivera, client=ana,
                          created_at=SATURDAY - timedelta(days=2))
    bruno = factories.client(rivera, name="Bruno")
    quiet = Thread.objects.create(practice=rivera.practice, clinician=rivera, client=bruno,
                                  created_at=SATURDAY - timedelta(days=2))
    Message.objects.create(thread=quiet, sender=Message.Sender.CLIENT, body="Thanks for today",
                           created_at=SATURDAY - timedelta(days=1),
                           released_at=SATURDAY - timedelta(days=1))
    assert order(rivera) == [bruno.pk, ana.pk]

    send(client, monkeypatch, SATURDAY, "A question about my worksheet.", ana.user)
    reply = Message.objects.get(sender=Message.Sender.SYSTEM)
    assert reply.released_at is None
    assert reply not in staff.visible_messages(reply.thread)
    assert order(rivera) == [bruno.pk, ana.pk]

    assert holding.release_due(MONDAY_9_IN_LOS_ANGELES) == 1
    reply.refresh_from_db()
    assert reply.released_at == MONDAY_9_IN_LOS_ANGELES
    assert reply in staff.visible_messages(reply.thread)
    assert order(rivera)[0] == ana.pk
