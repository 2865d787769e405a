"""An urgent message raises an alert for whoever the agreement names: the clinician inside their
crisis hours, the first on the on-call rota now, or nobody (resources only, nobody on duty),
in which case the alert is unrouted and the message pinned."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from interlude.agreements.models import AgreementSignature, TimeOff
from interlude.audit.models import AuditEvent
from interlude.crisis.models import OnCallShift, UrgentAlert
from interlude.inbox.services import send_from_client
from interlude.outreach.models import Delivery
from tests import factories as f

pytestmark = pytest.mark.django_db

URGENT = "I want to kill myself tonight"
LA = ZoneInfo("America/Los_Angeles")
# Wednesday 4 March 2026, 19:30 in Los Angeles: inside weekday-evening crisis hours.
EVENING = datetime(2026, 3, 4, 19, 30, tzinfo=LA)
MORNING = datetime(2026, 3, 4, 8, 0, tzinfo=LA)
CRISIS_HOURS = [[day, "18:00", "21:00"] for day in range(5)]


def signed(client, **fields):
    agreement = f.agreement(client, **fields)
    AgreementSignature.objects.create(agreement=agreement, signed_by=client.user,
                                      version=agreement.version)
    return agreement


def shift(clinician, at, position=1, hours=12):
    return OnCallShift.objects.create(practice=clinician.practice, clinician=clinician,
                                      starts_at=at - timedelta(hours=1),
                                      ends_at=at + timedelta(hours=hours), position=position)


def alert_of(person, at):
    return send_from_client(person.user, URGENT, at=at).alert


def recipients(alert):
    return list(alert.notices.order_by("step").values_list("recipient_id", flat=True))


@pytest.fixture
def home():
    practice = f.practice()
    clinician = f.clinician(practice)
    f.weekday_hours(clinician)
    return practice, clinician, f.client(clinician, phone="+15555550100")


def test_it_sends_the_alert_to_the_clinician_inside_their_crisis_hours(home):
    _practice, clinician, person = home
    signed(person, crisis_route="clinician", crisis_hours=CRISIS_HOURS)
    alert = alert_of(person, EVENING)
    assert (alert.route, alert.state) == ("clinician", UrgentAlert.State.OPEN)
    assert recipients(alert) == [clinician.user.pk]
    rows = Delivery.objects.filter(ref_type="urgent_alert", ref_id=str(alert.pk))
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app"]
    assert all(r.priority == Delivery.URGENT and r.recipient_id == clinician.user.pk
               for r in rows)
    assert rows.get(channel="in_app").address == f"/alerts/{alert.pk}/"
    assert alert.escalate_at == EVENING + timedelta(minutes=10)
    assert alert.message.pinned_at is None


def test_it_leaves_the_alert_unrouted_and_pins_the_message_outside_crisis_hours(home):
    _practice, _clinician, person = home
    signed(person, crisis_route="clinician", crisis_hours=CRISIS_HOURS)
    alert = alert_of(person, MORNING)
    assert (alert.route, alert.state, alert.escalate_at) == (
        "clinician", UrgentAlert.State.UNROUTED, None)
    assert recipients(alert) == []
    assert alert.message.pinned_at == MORNING
    assert not Delivery.objects.filter(ref_type="urgent_alert").exists()
    event = AuditEvent.objects.get(object_type="UrgentAlert", action="unrouted")
    assert event.detail == {"route": "clinician", "pinned": True}


def test_it_leaves_the_alert_unrouted_while_the_clinician_is_on_time_off(home):
    _practice, clinician, person = home
    signed(person, crisis_route="clinician", crisis_hours=CRISIS_HOURS)
    TimeOff.objects.create(clinician=clinician, starts_at=EVENING - timedelta(days=1),
                           ends_at=EVENING + timedelta(days=1))
    alert = alert_of(person, EVENING)
    assert alert.state == UrgentAlert.State.UNROUTED
    assert alert.message.is_pinned


def test_it_does_not_alert_a_clinician_whose_login_was_switched_off(home):
    _practice, clinician, person = home
    signed(person, crisis_route="clinician", crisis_hours=CRISIS_HOURS)
    clinician.user.is_active = False
    clinician.user.save()
    alert = alert_of(person, EVENING)
    assert alert.state == UrgentAlert.State.UNROUTED
    assert recipients(alert) == []


def test_it_sends_the_alert_to_position_one_on_the_rota_now(home):
    practice, clinician, person = home
    signed(person, crisis_route="on_call")
    backup = f.clinician(practice, on_call_eligible=True)
    first = f.clinician(practice, on_call_eligible=True)
    shift(backup, MORNING, position=2)
    shift(first, MORNING, position=1)
    alert = alert_of(person, MORNING)
    assert (alert.route, alert.state) == ("on_call", UrgentAlert.State.OPEN)
    assert recipients(alert) == [first.user.pk]
    assert clinician.user.pk not in recipients(alert)


def test_it_skips_a_shift_of_an_ineligible_or_inactive_clinician(home):
    practice, _clinician, person = home
    signed(person, crisis_route="on_call")
    ineligible = f.clinician(practice, on_call_eligible=False)
    inactive = f.clinician(practice, on_call_eligible=True)
    inactive.user.is_active = False
    inactive.user.save()
    backup = f.clinician(practice, on_call_eligible=True)
    shift(ineligible, MORNING, position=1)
    shift(inactive, MORNING, position=1)
    shift(backup, MORNING, position=3)
    assert recipients(alert_of(person, MORNING)) == [backup.user.pk]


def test_it_ignores_shifts_that_have_ended_or_not_begun_and_other_practices(home):
    practice, _clinician, person = home
    signed(person, crisis_route="on_call")
    early = f.clinician(practice, on_call_eligible=True)
    OnCallShift.objects.create(practice=practice, clinician=early,
                               starts_at=MORNING - timedelta(hours=9), ends_at=MORNING)
    late = f.clinician(practice, on_call_eligible=True)
    OnCallShift.objects.create(practice=practice, clinician=late,
                               starts_at=MORNING + timedelta(seconds=1),
                               ends_at=MORNING + timedelta(hours=9))
    foreign = f.clinician(f.practice(), on_call_eligible=True)
    shift(foreign, MORNING)
    alert = alert_of(person, MORNING)
    assert alert.state == UrgentAlert.State.UNROUTED
    assert alert.message.is_pinned


def test_it_leaves_the_alert_unrouted_when_the_agreement_names_crisis_resources_only(home):
    practice, _clinician, person = home
    signed(person, crisis_route="resources")
    shift(f.clinician(practice, on_call_eligible=True), MORNING)
    alert = alert_of(person, MORNING)
    assert (alert.route, alert.state) == ("resources", UrgentAlert.State.UNROUTED)
    assert alert.message.is_pinned


def test_it_audits_the_alert_and_each_notice_without_the_message(home):
    _practice, clinician, person = home
    signed(person, crisis_route="clinician", crisis_hours=CRISIS_HOURS)
    alert = alert_of(person, EVENING)
    events = AuditEvent.objects.filter(object_type="UrgentAlert").order_by("seq")
    assert [(e.action, e.actor_label) for e in events] == [
        ("raise", "triage"), ("notify", "crisis alert")]
    assert events[1].detail == {"recipient": clinician.user.pk, "step": 0,
                                "reason": "route:clinician"}
    assert all(e.client_id_ref == person.pk and e.object_id == str(alert.pk) for e in events)
    assert "kill" not in str([e.detail for e in events])
    rows = Delivery.objects.filter(ref_type="urgent_alert")
    assert not any("kill" in (r.body + r.subject) for r in rows)
