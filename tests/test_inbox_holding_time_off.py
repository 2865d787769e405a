"""Time off added after a message was held moves its release: at the old instant the release
asks the hours again, finds the clinician away, and holds the message until they are back."""

import pytest

from interlude.agreements import services as agreements
from interlude.inbox import holding
from tests import factories
from tests.appointment_support import freeze
from tests.inbox_staff_support import (
    MONDAY_OPEN,
    SUNDAY_NIGHT,
    at,
    deliver,
    fixed_triage,  # noqa: F401 - autouse
    inbox_client,
    notifications_of,
    refresh,
    send,
    with_hours,
)

pytestmark = pytest.mark.django_db


def test_it_moves_held_until_to_the_end_of_time_off_added_later(monkeypatch):
    w = factories.world()
    with_hours(w.clinician)
    message = send(inbox_client(w.clinician), "About next week.", SUNDAY_NIGHT)
    assert message.held_until == MONDAY_OPEN
    # Sick on Monday and Tuesday, added after the message was held.
    agreements.add_time_off(w.clinician.user, w.clinician, at("2030-03-04 00:00"),
                            at("2030-03-06 00:00"), kind="sick")

    freeze(monkeypatch, MONDAY_OPEN)
    assert holding.release_due(MONDAY_OPEN) == 0
    deliver()

    message = refresh(message)
    assert message.released_at is None
    assert message.held_until == at("2030-03-06 09:00")
    assert notifications_of(w.clinician.user) == []

    back = at("2030-03-06 09:00")
    freeze(monkeypatch, back)
    assert holding.release_due(back) == 1
    deliver()
    assert refresh(message).released_at == back
    assert [n.title for n in notifications_of(w.clinician.user)] == ["Your inbox digest"]

