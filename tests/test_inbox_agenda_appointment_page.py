"""A session's agenda: the clinician's appointments list counts the messages kept for each
session and links to its agenda, which shows them (an audited read); the client's
appointments page says that a message was kept for that session."""

import pytest
from django.urls import reverse

from interlude.audit.models import AuditEvent
from interlude.inbox import agenda
from tests import factories
from tests.appointment_support import book
from tests.inbox_staff_support import (
    MONDAY_MORNING,
    at,
    clinic_at,
    fixed_triage,  # noqa: F401 - autouse
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(monkeypatch):
    w, person = clinic_at(monkeypatch, MONDAY_MORNING, name="Robin Vale")
    session = book(person, at("2030-03-07 10:00"))
    plain = book(person, at("2030-03-14 10:00"))
    message = send(person, "I want to talk about the letter from my father.", MONDAY_MORNING)
    agenda.keep_for_session(w.clinician.user, message)
    return w, person, session, plain, message


def test_the_appointments_list_links_to_the_agenda(client, kept):
    w, _person, session, plain, _message = kept
    factories.verified_login(client, w.clinician.user)

    response = client.get(reverse("appointment_list"))

    rows = {row["pk"]: row for row in response.context["rows"]}
    assert (rows[session.pk]["kept"], rows[plain.pk]["kept"]) == (1, 0)
    body = response.content.decode()
    assert reverse("session_agenda", args=[session.pk]) in body
    assert reverse("session_agenda", args=[plain.pk]) not in body


def test_the_agenda_page_shows_the_kept_message_and_is_audited(client, kept):
    w, person, session, _plain, message = kept
    factories.verified_login(client, w.clinician.user)

    response = client.get(reverse("session_agenda", args=[session.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Agenda for the session with Robin Vale" in body
    assert "the letter from my father" in body
    assert reverse("inbox_thread", args=[message.thread_id]) in body
    event = AuditEvent.objects.get(action="view", object_type="Agenda")
    assert (event.object_id, event.client_id_ref) == (str(session.pk), person.pk)


def test_another_session_has_an_empty_agenda(client, kept):
    w, _person, _session, plain, _message = kept
    factories.verified_login(client, w.clinician.user)

    response = client.get(reverse("session_agenda", args=[plain.pk]))

    assert "No messages were kept for this session." in response.content.decode()
    assert "the letter from my father" not in response.content.decode()


@pytest.mark.parametrize("who", ["other_clinician", "admin", "foreign_clinician", "client"])
def test_nobody_else_sees_the_agenda(client, kept, who):
    w, _person, session, _plain, _message = kept
    user = getattr(w, who)
    user = getattr(user, "user", user)
    factories.verified_login(client, user)

    response = client.get(reverse("session_agenda", args=[session.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(object_type="Agenda").exists()


def test_the_client_sees_the_message_was_kept_for_that_session(client, kept):
    w, person, session, plain, _message = kept
    client.force_login(person.user)

    response = client.get(reverse("my_appointments"))

    rows = {row["pk"]: row for row in response.context["rows"]}
    assert (rows[session.pk]["kept"], rows[plain.pk]["kept"]) == (1, 0)
    assert (f"{w.clinician.display_name} kept one of your messages to talk about in this "
            "session.") in response.content.decode()
