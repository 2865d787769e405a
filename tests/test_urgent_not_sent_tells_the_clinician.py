"""An urgent text that a closed inbox refused is not stored, but it is not dropped silently
either: the client's own clinician gets one in-app notice, without the words, inside their
office hours or at the start of the next ones. Nobody else hears of it, and a routine text to
a closed inbox tells nobody."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.inbox.services import InboxClosed, send_from_client
from interlude.outreach.models import Delivery
from tests import factories as f

pytestmark = pytest.mark.django_db

URGENT = "I have the pills in my hand and I am going to take them all tonight"
LA = ZoneInfo("America/Los_Angeles")
WEDNESDAY_NIGHT = datetime(2026, 3, 4, 22, 0, tzinfo=LA)
THURSDAY_OPEN = datetime(2026, 3, 5, 9, 0, tzinfo=LA)
WEDNESDAY_NOON = datetime(2026, 3, 4, 12, 0, tzinfo=LA)


def closed_inbox_world():
    w = f.world()
    w.clinician.time_zone = "America/Los_Angeles"
    w.clinician.save()
    f.weekday_hours(w.clinician)
    agreement = f.agreement(w.client, inbox_open=False, crisis_route="resources")
    AgreementSignature.objects.create(agreement=agreement, signed_by=w.client.user, version=1)
    return w


def refused(w, text, at):
    with pytest.raises(InboxClosed):
        send_from_client(w.client.user, text, at=at)


def test_the_clinician_is_told_at_the_start_of_their_next_hours_without_the_words():
    assert triage.assess(URGENT).level == "urgent"
    w = closed_inbox_world()
    refused(w, URGENT, WEDNESDAY_NIGHT)
    notice = Delivery.objects.get(kind="urgent_not_sent")
    assert (notice.channel, notice.recipient, notice.due_at) == (
        "in_app", w.clinician.user, THURSDAY_OPEN)
    assert w.client.display_name in notice.subject
    assert "pills" not in notice.subject and "pills" not in notice.body
    # Nobody else: not the other clinician, not the practice's admin, not another practice.
    assert Delivery.objects.exclude(recipient=w.clinician.user).count() == 0


def test_inside_office_hours_it_is_due_at_once():
    w = closed_inbox_world()
    refused(w, URGENT, WEDNESDAY_NOON)
    assert Delivery.objects.get(kind="urgent_not_sent").due_at == WEDNESDAY_NOON


def test_each_attempt_is_its_own_notice_and_a_routine_text_tells_nobody():
    w = closed_inbox_world()
    refused(w, "Could we move Thursday to 3pm?", WEDNESDAY_NOON)
    assert not Delivery.objects.exists()
    refused(w, URGENT, WEDNESDAY_NOON)
    refused(w, URGENT, WEDNESDAY_NIGHT)
    assert Delivery.objects.filter(kind="urgent_not_sent").count() == 2
