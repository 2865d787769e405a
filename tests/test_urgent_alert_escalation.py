"""An alert nobody acknowledges within ALERT_ESCALATE_MINUTES goes to the next person on the
rota, then to the practice admins, then stops with a loud audit event; acknowledging stops it.
Each step is audited."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from interlude.crisis import alerts
from interlude.crisis.models import OnCallShift, UrgentAlert
from interlude.inbox.services import send_from_client
from interlude.outreach.models import Delivery
from interlude.outreach.planning import run_planners
from tests import factories as f

pytestmark = pytest.mark.django_db

URGENT = "I want to kill myself tonight"
AT = datetime(2026, 3, 4, 23, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
MINUTE = timedelta(minutes=1)


class Rota:
    def __init__(self):
        self.practice = f.practice()
        own = f.clinician(self.practice)
        self.client = f.client(own)
        agreement = f.agreement(self.client, crisis_route="on_call")
        AgreementSignature.objects.create(agreement=agreement, signed_by=self.client.user,
                                          version=1)
        self.first = self.on_call(1)
        self.second = self.on_call(2)
        self.admin = f.admin(self.practice)

    def on_call(self, position, **kw):
        clinician = f.clinician(self.practice, on_call_eligible=True, **kw)
        OnCallShift.objects.create(practice=self.practice, clinician=clinician,
                                   starts_at=AT - timedelta(hours=2),
                                   ends_at=AT + timedelta(hours=10), position=position)
        return clinician

    def raise_alert(self):
        return send_from_client(self.client.user, URGENT, at=AT).alert


def people(alert):
    return list(alert.notices.order_by("step").values_list("recipient_id", "reason"))


def events(alert):
    return list(AuditEvent.objects.filter(object_type="UrgentAlert", object_id=str(alert.pk))
                .order_by("seq").values_list("action", flat=True))


@pytest.fixture
def rota():
    return Rota()


def test_it_waits_the_set_time_before_escalating(rota, settings):
    assert settings.ALERT_ESCALATE_MINUTES == 10
    alert = rota.raise_alert()
    assert alerts.escalate_due(AT + 10 * MINUTE - timedelta(seconds=1)) == 0
    assert people(alert) == [(rota.first.user.pk, "route:on_call")]


def test_it_goes_to_the_next_on_the_rota_then_the_admin_then_stops(rota):
    alert = rota.raise_alert()
    assert alerts.escalate_due(AT + 10 * MINUTE) == 1
    assert alerts.escalate_due(AT + 20 * MINUTE) == 1
    assert people(alert) == [(rota.first.user.pk, "route:on_call"),
                             (rota.second.user.pk, "not_acknowledged:rota"),
                             (rota.admin.pk, "not_acknowledged:admin")]
    alert.refresh_from_db()
    assert alert.escalate_at == AT + 30 * MINUTE
    assert alerts.escalate_due(AT + 30 * MINUTE) == 0
    alert.refresh_from_db()
    assert (alert.state, alert.escalate_at) == (UrgentAlert.State.OPEN, None)
    assert alert.message.is_pinned
    assert alerts.escalate_due(AT + 60 * MINUTE) == 0
    assert events(alert) == ["raise", "notify", "escalate", "notify", "escalate", "notify",
                             "escalation_exhausted"]


def test_each_step_is_an_urgent_delivery_due_at_once(rota):
    alert = rota.raise_alert()
    alerts.escalate_due(AT + 10 * MINUTE)
    second = Delivery.objects.filter(recipient=rota.second.user, ref_type="urgent_alert")
    assert sorted(second.values_list("channel", "idempotency_key")) == [
        ("email", f"alert:{alert.pk}:1:email"), ("in_app", f"alert:{alert.pk}:1:in_app")]
    assert all(d.priority == Delivery.URGENT and d.due_at == AT + 10 * MINUTE for d in second)


def test_it_audits_each_escalation_with_why_and_to_whom(rota):
    alert = rota.raise_alert()
    alerts.escalate_due(AT + 10 * MINUTE)
    event = AuditEvent.objects.get(object_type="UrgentAlert", action="escalate")
    assert event.detail == {"why": "not_acknowledged", "to": rota.second.user.pk, "step": 1}
    assert (event.client_id_ref, event.practice_id) == (rota.client.pk, rota.practice.pk)
    assert event.actor is None and event.actor_label == "crisis alert"
    assert event.object_id == str(alert.pk)


def test_acknowledging_stops_the_escalation(rota):
    alert = rota.raise_alert()
    assert alerts.acknowledge(rota.first.user, alert) is True
    assert alerts.escalate_due(AT + 60 * MINUTE) == 0
    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by, alert.escalate_at) == (
        UrgentAlert.State.ACKNOWLEDGED, rota.first.user, None)
    assert people(alert) == [(rota.first.user.pk, "route:on_call")]
    assert events(alert)[-1] == "acknowledge"


def test_it_follows_the_rota_by_position_not_by_the_order_shifts_were_added():
    rota = Rota()
    third = rota.on_call(3)
    another_backup = rota.on_call(2)
    OnCallShift.objects.filter(clinician=rota.first).update(position=4)
    alert = rota.raise_alert()
    for minutes in (10, 20, 30):
        alerts.escalate_due(AT + minutes * MINUTE)
    assert [pk for pk, _reason in people(alert)] == [
        rota.second.user.pk, another_backup.user.pk, third.user.pk, rota.first.user.pk]


def test_it_skips_a_clinician_no_longer_eligible_or_active(rota):
    alert = rota.raise_alert()
    rota.second.on_call_eligible = False
    rota.second.save()
    backup = rota.on_call(3)
    inactive = rota.on_call(2)
    inactive.user.is_active = False
    inactive.user.save()
    alerts.escalate_due(AT + 10 * MINUTE)
    assert people(alert)[-1] == (backup.user.pk, "not_acknowledged:rota")


def test_it_reaches_a_clinician_who_administers_the_practice(rota):
    rota.admin.is_active = False
    rota.admin.save()
    runner = f.clinician(rota.practice)
    runner.user.is_practice_admin = True
    runner.user.save()
    f.admin(f.practice())  # another practice's admin is never asked
    alert = rota.raise_alert()
    alerts.escalate_due(AT + 10 * MINUTE)
    alerts.escalate_due(AT + 20 * MINUTE)
    assert people(alert)[-1] == (runner.user.pk, "not_acknowledged:admin")
    alerts.escalate_due(AT + 30 * MINUTE)
    assert len(people(alert)) == 3


def test_two_planners_that_saw_the_alert_due_move_it_one_step(rota):
    rota.on_call(3)  # someone the second planner could wrongly move it on to
    alert = rota.raise_alert()
    stale = UrgentAlert.objects.get(pk=alert.pk)
    assert alerts.escalate(stale, AT + 10 * MINUTE, "not_acknowledged") == rota.second.user
    # The second planner read the alert before the first moved it on.
    assert alerts.escalate(stale, AT + 10 * MINUTE, "not_acknowledged") is None
    assert len(people(alert)) == 2


def test_the_dispatchers_planners_escalate_due_alerts(rota):
    alert = rota.raise_alert()
    run_planners(AT + 11 * MINUTE)
    assert len(people(alert)) == 2


def test_one_broken_alert_does_not_stop_the_others(rota, monkeypatch, caplog):
    broken = rota.raise_alert()
    other = Rota()
    fine = other.raise_alert()
    real = alerts.next_person

    def next_person(alert, at):
        if alert.pk == broken.pk:
            raise RuntimeError("boom")
        return real(alert, at)

    monkeypatch.setattr(alerts, "next_person", next_person)
    assert alerts.escalate_due(AT + 10 * MINUTE) == 1
    assert len(people(fine)) == 2
    assert f"escalating urgent alert {broken.pk} failed: RuntimeError" in caplog.text
