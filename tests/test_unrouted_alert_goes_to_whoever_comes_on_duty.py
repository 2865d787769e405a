"""An urgent alert that found nobody on duty is offered, on the planner's next pass, to the
first person who has come on duty since (a shift has started, crisis hours have begun) —
unless the clinician has already read the message, or it is more than a day old. An agreement
that names crisis resources only never sends it to anyone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from interlude.crisis import alerts
from interlude.crisis.models import AlertNotice, OnCallShift, UrgentAlert
from interlude.inbox.models import Message
from interlude.inbox.services import send_from_client
from interlude.outreach.models import Delivery
from tests import factories as f

pytestmark = pytest.mark.django_db

URGENT = "I have the pills in my hand and I am going to take them all tonight"
LA = ZoneInfo("America/Los_Angeles")
# A Wednesday, 06:00 in Los Angeles; the shift starts two hours later.
SENT_AT = datetime(2026, 3, 4, 6, 0, tzinfo=LA)
SHIFT_STARTS = SENT_AT + timedelta(hours=2)
IN_SHIFT = SHIFT_STARTS + timedelta(minutes=5)


def unrouted_alert(route="on_call", shift_starts=SHIFT_STARTS, **agreement_fields):
    """An alert sent before anyone was on duty, and the clinician whose shift starts later."""
    assert triage.assess(URGENT).level == "urgent"
    practice = f.practice()
    person = f.client(f.clinician(practice))
    agreement = f.agreement(person, crisis_route=route, **agreement_fields)
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    on_call = f.clinician(practice, on_call_eligible=True)
    OnCallShift.objects.create(practice=practice, clinician=on_call, starts_at=shift_starts,
                               ends_at=shift_starts + timedelta(hours=8))
    alert = send_from_client(person.user, URGENT, at=SENT_AT).alert
    assert alert.state == UrgentAlert.State.UNROUTED
    return alert, on_call.user


def reload(alert):
    return UrgentAlert.objects.get(pk=alert.pk)


def test_it_sends_the_alert_to_the_clinician_who_comes_on_duty():
    alert, on_call = unrouted_alert()

    assert alerts.escalate_due(IN_SHIFT) == 1

    alert = reload(alert)
    assert (alert.state, alert.escalate_at) == (
        UrgentAlert.State.OPEN, IN_SHIFT + alerts.escalate_after())
    notice = AlertNotice.objects.get(alert=alert)
    assert (notice.recipient, notice.reason, notice.step) == (on_call, "came_on_duty", 0)
    rows = Delivery.objects.filter(ref_type="urgent_alert", ref_id=str(alert.pk))
    assert rows.filter(recipient=on_call, channel="in_app", priority=Delivery.URGENT,
                       state=Delivery.State.PENDING).exists()
    assert all(row.due_at <= IN_SHIFT for row in rows)
    event = AuditEvent.objects.get(object_type="UrgentAlert", action="notify")
    assert event.detail == {"recipient": on_call.pk, "step": 0, "reason": "came_on_duty"}


def test_it_waits_while_nobody_is_on_duty_yet():
    alert, _on_call = unrouted_alert()
    assert alerts.escalate_due(SHIFT_STARTS - timedelta(minutes=1)) == 0
    assert reload(alert).state == UrgentAlert.State.UNROUTED
    assert not AlertNotice.objects.exists()


def test_it_offers_the_alert_once():
    alert, _on_call = unrouted_alert()
    alerts.escalate_due(IN_SHIFT)
    assert alerts.escalate_due(IN_SHIFT + timedelta(minutes=1)) == 0
    assert AlertNotice.objects.filter(alert=alert).count() == 1


def test_it_sends_the_alert_when_the_clinicians_crisis_hours_begin():
    # Wednesday (weekday 2) from 08:00 on the clinician's clock.
    alert, _on_call = unrouted_alert(route="clinician",
                                     crisis_hours=[[2, "08:00", "20:00"]])
    clinician = alert.client.clinician.user
    assert alerts.escalate_due(IN_SHIFT) == 1
    notice = AlertNotice.objects.get(alert=alert)
    assert (notice.recipient, notice.reason) == (clinician, "came_on_duty")
    assert reload(alert).state == UrgentAlert.State.OPEN


def test_it_is_not_offered_once_the_clinician_has_read_the_message():
    alert, _on_call = unrouted_alert()
    Message.objects.filter(pk=alert.message_id).update(read_at=SENT_AT + timedelta(hours=1))
    assert alerts.escalate_due(IN_SHIFT) == 0
    assert reload(alert).state == UrgentAlert.State.UNROUTED
    assert not AlertNotice.objects.exists()
    assert not Delivery.objects.filter(ref_type="urgent_alert").exists()


def test_it_is_not_offered_once_the_clinician_has_unpinned_the_message():
    alert, _on_call = unrouted_alert()
    Message.objects.filter(pk=alert.message_id).update(
        unpinned_at=SENT_AT + timedelta(hours=1))
    assert alerts.escalate_due(IN_SHIFT) == 0
    assert not AlertNotice.objects.exists()


def test_it_is_not_offered_after_a_day():
    day_later = SENT_AT + alerts.RECHECK + timedelta(hours=1)
    alert, _on_call = unrouted_alert(shift_starts=day_later - timedelta(hours=1))
    assert alerts.escalate_due(day_later) == 0
    assert reload(alert).state == UrgentAlert.State.UNROUTED
    assert not AlertNotice.objects.exists()


def test_crisis_resources_only_is_never_offered_to_anyone():
    alert, _on_call = unrouted_alert(route="resources")
    assert alerts.escalate_due(IN_SHIFT) == 0
    assert alerts.escalate_due(IN_SHIFT + timedelta(hours=3)) == 0
    assert reload(alert).state == UrgentAlert.State.UNROUTED
    assert not AlertNotice.objects.exists()
    assert not Delivery.objects.filter(ref_type="urgent_alert").exists()


def test_it_does_not_reopen_an_alert_acknowledged_while_the_planner_was_reading():
    alert, on_call = unrouted_alert()
    stale = reload(alert)
    assert alerts.acknowledge(alert.client.clinician.user, alert)

    assert alerts._reoffer(stale, on_call, IN_SHIFT) == 0

    alert = reload(alert)
    assert alert.state == UrgentAlert.State.ACKNOWLEDGED
    assert alert.escalate_at is None
    assert not AlertNotice.objects.filter(alert=alert).exists()


def test_an_alert_that_ran_out_of_people_goes_to_whoever_comes_on_duty_later():
    practice = f.practice()
    person = f.client(f.clinician(practice))
    agreement = f.agreement(person, crisis_route="on_call")
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    first = f.clinician(practice, on_call_eligible=True)
    OnCallShift.objects.create(practice=practice, clinician=first, starts_at=SENT_AT,
                               ends_at=SENT_AT + timedelta(hours=1))
    later = f.clinician(practice, on_call_eligible=True)
    OnCallShift.objects.create(practice=practice, clinician=later, starts_at=SHIFT_STARTS,
                               ends_at=SHIFT_STARTS + timedelta(hours=8))
    alert = send_from_client(person.user, URGENT, at=SENT_AT).alert
    assert alert.state == UrgentAlert.State.OPEN
    # Nobody acknowledges; with no other person on duty and no admin, it runs out of people.
    alerts.escalate_due(SENT_AT + alerts.escalate_after())
    alert = reload(alert)
    assert (alert.state, alert.escalate_at) == (UrgentAlert.State.OPEN, None)

    assert alerts.escalate_due(IN_SHIFT) == 1

    notice = AlertNotice.objects.get(alert=alert, recipient=later.user)
    assert (notice.reason, notice.step) == ("came_on_duty", 1)
    assert reload(alert).escalate_at == IN_SHIFT + alerts.escalate_after()
