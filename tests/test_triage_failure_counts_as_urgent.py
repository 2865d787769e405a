"""When the triage engine fails, the message counts as urgent (the guideline: when unsure,
the higher level): it is stored, released at once, with the reason "engine_error", and it
raises an alert."""

import logging
from datetime import UTC, datetime

import pytest

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.crisis.models import UrgentAlert
from interlude.inbox import services
from interlude.inbox.models import Message
from tests import factories as f

pytestmark = pytest.mark.django_db

ROUTINE = "Could we move Thursday's session to 4pm?"
# A Sunday night: a routine message would be held until office hours.
SUNDAY_NIGHT = datetime(2030, 3, 4, 5, 0, tzinfo=UTC)


def broken(*_args, **_kwargs):
    raise RuntimeError("the lexicon could not be loaded")


@pytest.fixture
def person(monkeypatch):
    clinician = f.clinician(f.practice())
    f.weekday_hours(clinician)
    person = f.client(clinician)
    agreement = f.agreement(person, crisis_route="resources")
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    assert triage.assess(ROUTINE).level == "routine"
    # services calls the engine through the triage package.
    assert services.triage is triage
    monkeypatch.setattr(triage, "assess", broken)
    return person


def test_a_message_the_engine_cannot_assess_is_stored_as_urgent(person):
    outcome = services.send_from_client(person.user, ROUTINE, at=SUNDAY_NIGHT)
    message = Message.objects.get(thread__client=person)
    assert message == outcome.message and outcome.urgent
    assert (message.level, message.body) == (Message.Level.URGENT, ROUTINE)
    assert [reason["rule"] for reason in services.reasons_of(message)] == ["engine_error"]
    # Urgent is never held, even outside office hours.
    assert (message.released_at, message.held_until) == (SUNDAY_NIGHT, None)


def test_a_message_the_engine_cannot_assess_raises_an_alert(person):
    outcome = services.send_from_client(person.user, ROUTINE, at=SUNDAY_NIGHT)
    alert = UrgentAlert.objects.get(message=outcome.message)
    assert outcome.alert == alert
    # Crisis resources only: nobody to send it to, so the message is pinned.
    assert alert.state == UrgentAlert.State.UNROUTED
    assert Message.objects.get(pk=outcome.message.pk).is_pinned


def test_the_engine_failure_is_logged_without_the_message_text(person, caplog):
    with caplog.at_level(logging.DEBUG):
        services.send_from_client(person.user, ROUTINE, at=SUNDAY_NIGHT)
    logged = [record.getMessage() for record in caplog.records]
    assert any("triage failed" in line for line in logged)
    assert not any("Thursday" in line or "lexicon" in line for line in logged)
