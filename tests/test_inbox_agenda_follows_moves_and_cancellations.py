"""A kept message stays on whichever appointment comes next: moving an appointment later than
another, or cancelling it, moves its agenda to the one that now comes first."""

import pytest

from interlude.inbox import agenda
from interlude.outreach import appointments
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
    w, person = clinic_at(monkeypatch, MONDAY_MORNING)
    message = send(person, "Can we talk about my mother next time?", MONDAY_MORNING)
    first = book(person, at("2030-03-06 10:00"))
    second = book(person, at("2030-03-13 10:00"))
    item, _created = agenda.keep_for_session(w.clinician.user, message)
    assert item.appointment == first
    return w, item, first, second


def test_moving_the_appointment_after_another_moves_its_agenda(kept):
    w, item, first, second = kept
    appointments.move_appointment(w.clinician.user, first, start=at("2030-03-20 10:00"),
                                  end=at("2030-03-20 10:50"))
    item.refresh_from_db()
    assert item.appointment == second


def test_cancelling_the_appointment_moves_its_agenda_to_the_next_one(kept):
    w, item, first, second = kept
    appointments.cancel_appointment(w.clinician.user, first)
    item.refresh_from_db()
    assert item.appointment == second


def test_moving_it_earlier_keeps_its_agenda(kept):
    w, item, first, _second = kept
    appointments.move_appointment(w.clinician.user, first, start=at("2030-03-05 10:00"),
                                  end=at("2030-03-05 10:50"))
    item.refresh_from_db()
    assert item.appointment == first
