"""The thread page shows the released messages with each client message's triage level and
the reasons behind it; opening it is an audited read that marks the client's released
messages read (never the held ones)."""

import pytest
from django.urls import reverse

from interlude.audit.models import AuditEvent
from tests import factories
from tests.appointment_support import freeze
from tests.inbox_staff_support import (
    MONDAY_MORNING,
    SUNDAY_NIGHT,
    at,
    fixed_triage,  # noqa: F401 - autouse
    inbox_client,
    refresh,
    send,
    with_hours,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(monkeypatch):
    w = factories.world()
    with_hours(w.clinician)
    person = inbox_client(w.clinician, name="Robin Vale")
    held = send(person, "A thought for Monday.", SUNDAY_NIGHT)
    freeze(monkeypatch, MONDAY_MORNING)
    # The Sunday message is still held: the release has not run yet.
    flagged = send(person, "Elevated: the week ahead feels hopeless.", MONDAY_MORNING)
    plain = send(person, "Also, my new phone number is on my profile.",
                 at("2030-03-04 10:45"))
    return w, held, flagged, plain


def open_page(client, w, message):
    factories.verified_login(client, w.clinician.user)
    return client.get(reverse("inbox_thread", args=[message.thread_id]))


def test_it_shows_each_messages_level_and_reasons(client, thread):
    w, _held, flagged, plain = thread
    response = open_page(client, w, flagged)

    rows = {row["pk"]: row for row in response.context["rows"]}
    assert rows[flagged.pk]["level"] == "Elevated"
    assert rows[flagged.pk]["badge"]["label"] == "Elevated"
    [reason] = rows[flagged.pk]["reasons"]
    assert (reason["rule"], reason["category"], reason["words"]) == (
        "en.test.elevated", "test cue", "hopeless")
    assert rows[plain.pk]["badge"] is None and rows[plain.pk]["reasons"] == []
    body = response.content.decode()
    assert "Why it was assessed as Elevated" in body
    assert "en.test.elevated" in body
    assert "the week ahead feels hopeless." in body


def test_opening_it_marks_released_messages_read_and_is_audited(client, thread):
    w, held, flagged, plain = thread
    open_page(client, w, flagged)

    assert refresh(flagged).read_at == MONDAY_MORNING
    assert refresh(plain).read_at == MONDAY_MORNING
    assert refresh(held).read_at is None
    event = AuditEvent.objects.get(action="view", object_type="Thread")
    assert (event.actor, event.object_id, event.client_id_ref) == (
        w.clinician.user, str(flagged.thread_id), flagged.thread.client_id)
    assert event.detail == {"marked_read": 2}


def test_it_lists_the_messages_oldest_first_with_a_reply_form_of_2000_characters(client,
                                                                                 thread):
    w, held, flagged, plain = thread
    response = open_page(client, w, flagged)

    pks = [row["pk"] for row in response.context["rows"]]
    assert held.pk not in pks
    assert pks.index(flagged.pk) < pks.index(plain.pk)
    assert 'data-message-limit="2000"' in response.content.decode()
    assert 'maxlength' not in response.content.decode()  # the browser must not cut a reply short
