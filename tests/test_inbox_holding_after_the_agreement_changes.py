"""A message held under one agreement is released in the clinician's office hours even when the
agreement changes before then (a revision waiting for the client's signature, the inbox closed
by a new version): it was accepted, so it is read, but never during time off and never with a
digest outside the hours."""

import pytest

from interlude.agreements import services as agreements
from interlude.agreements.models import AgreementSignature
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


def revise(client, *, signed, **fields):
    row = factories.agreement(client, version=2, crisis_route="resources", **fields)
    if signed:
        AgreementSignature.objects.create(agreement=row, signed_by=client.user, version=2)


@pytest.mark.parametrize(("signed", "inbox_open"), [(False, True), (True, False)])
def test_a_changed_agreement_does_not_release_it_during_time_off(monkeypatch, signed,
                                                                inbox_open):
    w = factories.world()
    with_hours(w.clinician)
    client = inbox_client(w.clinician)
    message = send(client, "About next week.", SUNDAY_NIGHT)
    assert message.held_until == MONDAY_OPEN
    revise(client, signed=signed, inbox_open=inbox_open)
    agreements.add_time_off(w.clinician.user, w.clinician, at("2030-03-04 00:00"),
                            at("2030-03-06 00:00"), kind="sick")

    freeze(monkeypatch, MONDAY_OPEN)
    assert holding.release_due(MONDAY_OPEN) == 0
    deliver()
    message = refresh(message)
    assert (message.released_at, message.held_until) == (None, at("2030-03-06 09:00"))
    assert notifications_of(w.clinician.user) == []

    back = at("2030-03-06 09:00")
    freeze(monkeypatch, back)
    assert holding.release_due(back) == 1
    deliver()
    assert refresh(message).released_at == back
    assert [n.title for n in notifications_of(w.clinician.user)] == ["Your inbox digest"]
    # Nobody else's clinician hears of it.
    assert notifications_of(w.other_clinician.user) == []
