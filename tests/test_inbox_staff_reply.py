"""The clinician replies in the thread: the reply reaches the client in-app, the client's
messages count as read, and the reply is audited; an empty or too long reply is refused."""

import pytest
from django.urls import reverse

from interlude.audit.models import AuditEvent
from interlude.inbox.models import Message
from tests import factories
from tests.inbox_staff_support import (
    MONDAY_MORNING,
    clinic_at,
    deliver,
    fixed_triage,  # noqa: F401 - autouse
    notifications_of,
    refresh,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(monkeypatch):
    w, person = clinic_at(monkeypatch, MONDAY_MORNING)
    message = send(person, "Can we move Thursday?", MONDAY_MORNING)
    return w, message


def test_the_reply_reaches_the_client_in_app(client, thread):
    w, message = thread
    factories.verified_login(client, w.clinician.user)

    response = client.post(reverse("inbox_reply", args=[message.thread_id]),
                           {"text": "Yes: Friday at 10 works."})
    deliver()

    assert response.status_code == 302
    assert response["Location"] == reverse("inbox_thread", args=[message.thread_id])
    reply = Message.objects.get(sender=Message.Sender.CLINICIAN)
    assert (reply.thread_id, reply.author, reply.body) == (
        message.thread_id, w.clinician.user, "Yes: Friday at 10 works.")
    client_user = message.thread.client.user
    [note] = [n for n in notifications_of(client_user) if n.title.endswith("replied to your "
                                                                            "message")]
    assert note.link == reverse("my_messages")
    assert "Friday" not in note.title + note.body
    assert refresh(message).read_at is not None
    assert AuditEvent.objects.filter(action="reply", object_id=str(reply.pk),
                                     actor=w.clinician.user).exists()


@pytest.mark.parametrize("text, error", [
    ("   ", "Write a reply before sending."),
    ("x" * 2001, "Messages are limited to 2,000 characters; this one has 2,001."),
])
def test_it_refuses_an_empty_or_too_long_reply(client, thread, text, error):
    w, message = thread
    factories.verified_login(client, w.clinician.user)

    response = client.post(reverse("inbox_reply", args=[message.thread_id]), {"text": text})

    assert response.status_code == 200
    assert any(e.startswith(error) for e in response.context["form"].errors["text"])
    assert not Message.objects.filter(sender=Message.Sender.CLINICIAN).exists()


def test_a_reply_of_exactly_2000_characters_with_line_breaks_is_accepted(client, thread):
    w, message = thread
    factories.verified_login(client, w.clinician.user)
    text = ("a" * 999) + "\r\n" + ("b" * 1000)

    response = client.post(reverse("inbox_reply", args=[message.thread_id]), {"text": text})

    assert response.status_code == 302
    assert len(Message.objects.get(sender=Message.Sender.CLINICIAN).body) == 2000
