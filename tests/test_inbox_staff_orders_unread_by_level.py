"""Among threads with unread released messages (none pinned), the inbox lists urgent first,
then elevated, then routine, whatever the order they came in."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.crisis.models import OnCallShift, UrgentAlert
from interlude.inbox import staff
from interlude.inbox.services import send_from_client
from tests import factories as f
from tests.appointment_support import freeze

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")
# A Monday morning, inside the clinician's office hours: nothing is held.
MONDAY = datetime(2030, 3, 4, 10, 0, tzinfo=LA)
TEXTS = {
    "urgent": "I have the pills in my hand and I am going to take them all tonight",
    "elevated": "I stopped taking my sertraline last week and I feel flat.",
    "routine": "Could we move Thursday's session to 4pm?",
}


@pytest.fixture
def inbox(monkeypatch):
    """One clinician; the urgent message came first and the routine one last, so ordering by
    last activity alone would list them the other way round. The urgent alert reached the
    clinician on call, so the message is not pinned."""
    for level, text in TEXTS.items():
        assert triage.assess(text).level == level
    practice = f.practice()
    clinician = f.clinician(practice)
    f.weekday_hours(clinician)
    OnCallShift.objects.create(practice=practice,
                               clinician=f.clinician(practice, on_call_eligible=True),
                               starts_at=MONDAY - timedelta(hours=1),
                               ends_at=MONDAY + timedelta(hours=8))
    messages = {}
    for minutes, level in enumerate(("urgent", "elevated", "routine")):
        person = f.client(clinician, name=level.title())
        agreement = f.agreement(person, crisis_route="on_call")
        AgreementSignature.objects.create(agreement=agreement, signed_by=person.user,
                                          version=1)
        outcome = send_from_client(person.user, TEXTS[level],
                                   at=MONDAY + timedelta(minutes=minutes))
        messages[level] = outcome.message
    assert messages["urgent"].urgent_alert.state == UrgentAlert.State.OPEN
    for message in messages.values():
        message.refresh_from_db()
        assert message.released_at is not None and message.read_at is None
        assert not message.is_pinned
    freeze(monkeypatch, MONDAY + timedelta(minutes=30))
    return clinician


def test_inbox_threads_lists_unread_urgent_then_elevated_then_routine(inbox):
    threads = list(staff.inbox_threads(inbox))
    assert [thread.client.display_name for thread in threads] == [
        "Urgent", "Elevated", "Routine"]
    assert [staff.level_of(thread) for thread in threads] == ["urgent", "elevated", "routine"]


def test_the_inbox_page_shows_them_in_that_order(client, inbox):
    f.verified_login(client, inbox.user)
    response = client.get(reverse("inbox"))
    assert response.status_code == 200
    assert [row["client"] for row in response.context["rows"]] == [
        "Urgent", "Elevated", "Routine"]


def test_a_read_thread_falls_below_the_unread_ones_whatever_its_level(inbox):
    urgent = staff.inbox_threads(inbox).get(client__display_name="Urgent")
    staff.open_thread(inbox.user, urgent)
    assert [thread.client.display_name for thread in staff.inbox_threads(inbox)] == [
        "Elevated", "Routine", "Urgent"]
