"""Helpers for the clinician's inbox tests: a clinician with weekday office hours, clients
with a signed agreement that opens the inbox, fixed instants in and out of those hours, and a
way to work the outbox."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.inbox import services
from interlude.inbox.models import Message
from interlude.outreach.dispatcher import Dispatcher
from interlude.outreach.models import Delivery, Notification
from tests import factories

ZONE = "America/Los_Angeles"  # the factories' clinicians live here
ROUTINE_TEXT = "Thank you for last week, the breathing exercise helped."
ELEVATED_TEXT = "Elevated: I feel really hopeless and cannot sleep."
URGENT_TEXT = "Urgent: I want to kill myself tonight"


def _fixed_assess(text):
    """The triage engine has its own tests; these tests choose the level by the first word,
    so that what they check (holding, release, order) does not move with the lexicons."""
    for level in ("urgent", "elevated"):
        if text.lower().startswith(level + ":"):
            clause = text.split(":", 1)[1].strip()
            reason = triage.Reason(rule=f"en.test.{level}", category="test_cue", level=level,
                                   words=clause.split()[-1].strip("."), clause=clause)
            return triage.TriageResult(level=level, reasons=[reason], lang="en")
    return triage.TriageResult(level="routine", reasons=[], lang="en")


@pytest.fixture(autouse=True)
def fixed_triage(monkeypatch):
    monkeypatch.setattr(triage, "assess", _fixed_assess)


def at(text, zone=ZONE):
    """"2030-03-04 09:00" on the clinician's clock, as an aware instant."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


# Office hours are Monday to Friday 09:00-17:00 in the clinician's zone.
SUNDAY_NIGHT = at("2030-03-03 21:00")
MONDAY_OPEN = at("2030-03-04 09:00")
MONDAY_MORNING = at("2030-03-04 10:30")


def inbox_client(clinician, **kw):
    """A client whose signed agreement opens the inbox; crisis goes to crisis resources."""
    client = factories.client(clinician, **kw)
    agreement = factories.agreement(client, crisis_route="resources")
    AgreementSignature.objects.create(agreement=agreement, signed_by=client.user, version=1)
    return client


def with_hours(clinician):
    factories.weekday_hours(clinician)
    return clinician


def clinic_at(monkeypatch, now, **client_fields):
    """world() with weekday office hours for its clinician, the clock frozen at `now`, and one
    inbox client of that clinician; returns (world, client)."""
    from tests.appointment_support import freeze

    w = factories.world()
    with_hours(w.clinician)
    freeze(monkeypatch, now)
    return w, inbox_client(w.clinician, **client_fields)


def send(client, text=ROUTINE_TEXT, when=SUNDAY_NIGHT):
    return services.send_from_client(client.user, text, at=when).message


def deliver():
    """Send everything due through the real channels (in-app rows, Django's test mail)."""
    return Dispatcher("inbox-tests").drain()


def notifications_of(user):
    return list(Notification.objects.filter(user=user).order_by("created_at", "pk"))


def deliveries_to(user, **filters):
    return Delivery.objects.filter(recipient=user, **filters)


def emails_to(user):
    return [message for message in mail.outbox if user.email in message.to]


def refresh(message):
    return Message.objects.get(pk=message.pk)
