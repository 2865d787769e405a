"""A message sent inside the clinician's office hours is not held: it notifies the clinician
once, in-app only (no digest, no email), and a later release pass adds nothing."""

import pytest
from django.urls import reverse

from interlude.inbox import holding
from interlude.outreach.models import Delivery
from tests import factories
from tests.appointment_support import freeze
from tests.inbox_staff_support import (
    MONDAY_MORNING,
    at,
    deliver,
    emails_to,
    fixed_triage,  # noqa: F401 - autouse
    inbox_client,
    notifications_of,
    send,
    with_hours,
)

pytestmark = pytest.mark.django_db


def test_a_message_in_hours_notifies_the_clinician_once_in_app(monkeypatch):
    w = factories.world()
    with_hours(w.clinician)
    client = inbox_client(w.clinician, name="Robin Vale")
    freeze(monkeypatch, MONDAY_MORNING)
    message = send(client, "Running late for Thursday.", MONDAY_MORNING)
    deliver()
    holding.release_due(at("2030-03-04 10:31"))
    deliver()

    assert message.released_at == MONDAY_MORNING
    [note] = notifications_of(w.clinician.user)
    assert note.title == "New message from Robin Vale"
    assert note.link == reverse("inbox_thread", args=[message.thread_id])
    assert emails_to(w.clinician.user) == []
    assert not Delivery.objects.filter(kind="inbox_digest").exists()


def test_an_elevated_message_in_hours_says_it_is_flagged(monkeypatch):
    w = factories.world()
    with_hours(w.clinician)
    client = inbox_client(w.clinician, name="Robin Vale")
    freeze(monkeypatch, MONDAY_MORNING)
    send(client, "Elevated: everything feels hopeless", MONDAY_MORNING)
    deliver()

    [note] = notifications_of(w.clinician.user)
    assert note.title == "New message from Robin Vale (flagged for attention)"
