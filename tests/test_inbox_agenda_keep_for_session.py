"""The clinician keeps a client's message "for next session": it goes on the agenda of the
client's next appointment with them, or, with none booked yet, waits for the next appointment
made. Keeping is audited and happens once per message."""

from datetime import timedelta

import pytest
from django.urls import reverse

from interlude.audit.models import AuditEvent
from interlude.inbox import agenda
from interlude.inbox.models import AgendaItem
from interlude.outreach import appointments
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
def setting(monkeypatch):
    w, person = clinic_at(monkeypatch, MONDAY_MORNING)
    message = send(person, "Can we talk about my mother next time?", MONDAY_MORNING)
    return w, person, message


def keep(client, w, message):
    factories.verified_login(client, w.clinician.user)
    return client.post(reverse("inbox_keep_for_session", args=[message.pk]))


def test_it_attaches_the_message_to_the_next_appointment(client, setting):
    w, person, message = setting
    later = book(person, at("2030-03-14 10:00"))
    nearest = book(person, at("2030-03-07 10:00"))
    cancelled = book(person, at("2030-03-05 10:00"))
    appointments.cancel_appointment(w.clinician.user, cancelled)

    response = keep(client, w, message)

    assert response.status_code == 302
    assert response["Location"] == reverse("inbox_thread", args=[message.thread_id])
    item = AgendaItem.objects.get(message=message)
    assert (item.appointment, item.client, item.created_by) == (nearest, person,
                                                                 w.clinician.user)
    assert later.agenda_items.count() == 0
    event = AuditEvent.objects.get(action="keep_for_session")
    assert (event.object_type, event.object_id, event.actor) == (
        "Message", str(message.pk), w.clinician.user)
    assert event.detail["appointment"] == nearest.pk
    page = client.get(response["Location"])
    assert "Kept for the session on Thu 7 Mar 2030, 10:00." in page.content.decode()


def test_without_an_appointment_it_waits_for_the_next_one_made(client, setting):
    w, person, message = setting

    keep(client, w, message)
    item = AgendaItem.objects.get(message=message)
    assert item.appointment is None
    assert AuditEvent.objects.get(action="keep_for_session").detail["appointment"] is None

    made = book(person, at("2030-03-11 10:00"))

    item.refresh_from_db()
    assert item.appointment == made
    event = AuditEvent.objects.get(action="attach_agenda")
    assert (event.object_type, event.object_id) == ("Appointment", str(made.pk))
    assert event.detail["agenda_items"] == [item.pk]


def test_a_new_earlier_appointment_takes_the_agenda_of_a_later_one(setting):
    w, person, message = setting
    later = book(person, at("2030-03-14 10:00"))
    item, _created = agenda.keep_for_session(w.clinician.user, message)
    assert item.appointment == later

    sooner = book(person, at("2030-03-06 10:00"))

    item.refresh_from_db()
    assert item.appointment == sooner


def test_the_agenda_of_a_cancelled_appointment_goes_to_the_next_one_made(setting):
    w, person, message = setting
    first = book(person, at("2030-03-06 10:00"))
    item, _created = agenda.keep_for_session(w.clinician.user, message)
    appointments.cancel_appointment(w.clinician.user, first)
    assert agenda.agenda_counts([first]) == {}

    replacement = book(person, at("2030-03-06 10:00") + timedelta(days=2))

    item.refresh_from_db()
    assert item.appointment == replacement


def test_keeping_twice_keeps_it_once(client, setting):
    w, _person, message = setting
    keep(client, w, message)
    response = keep(client, w, message)

    assert response.status_code == 302
    assert AgendaItem.objects.filter(message=message).count() == 1
    assert AuditEvent.objects.filter(action="keep_for_session").count() == 1


def test_it_keeps_only_a_clients_message(client, setting):
    w, _person, message = setting
    from interlude.inbox import services

    reply = services.reply(w.clinician.user, message.thread, "See you Thursday.")

    response = keep(client, w, reply)

    assert response.status_code == 302
    assert not AgendaItem.objects.exists()


def test_it_answers_only_a_post(client, setting):
    w, _person, message = setting
    factories.verified_login(client, w.clinician.user)
    response = client.get(reverse("inbox_keep_for_session", args=[message.pk]))
    assert response.status_code == 405
    assert not AgendaItem.objects.exists()
