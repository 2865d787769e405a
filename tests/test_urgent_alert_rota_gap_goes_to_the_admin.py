"""An agreement that routes crises to the on-call rota promised the client a person. When the
rota has a gap, the alert is unrouted (the client is told, the message pinned); if nobody comes
on duty within ALERT_ESCALATE_MINUTES, the practice's admins get it, and only this practice's.
A clinician route outside the crisis hours the client agreed to is different: it waits for
those hours and is not sent to anyone else."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from interlude.crisis import alerts
from interlude.crisis.models import OnCallShift, UrgentAlert
from interlude.inbox.services import send_from_client
from tests import factories as f

pytestmark = pytest.mark.django_db

URGENT = "I want to kill myself tonight"
AT = datetime(2026, 3, 4, 23, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
MINUTE = timedelta(minutes=1)


def client_with_route(route, **fields):
    practice = f.practice()
    person = f.client(f.clinician(practice))
    agreement = f.agreement(person, crisis_route=route, **fields)
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    return person


def recipients(alert):
    return list(alert.notices.order_by("step").values_list("recipient_id", "reason"))


def test_it_tells_the_practice_admin_when_the_rota_stays_empty():
    person = client_with_route("on_call")
    admin = f.admin(person.practice)
    # Who must never hear of it: another practice's admin, an off-duty clinician of this one,
    # and the other clients' clinician.
    other_admin = f.admin(f.practice())
    f.clinician(person.practice, on_call_eligible=True)
    alert = send_from_client(person.user, URGENT, at=AT).alert
    assert alert.state == UrgentAlert.State.UNROUTED
    assert alert.message.is_pinned
    assert alerts.escalate_due(AT + 10 * MINUTE - timedelta(seconds=1)) == 0
    assert recipients(alert) == []
    assert alerts.escalate_due(AT + 10 * MINUTE) == 1
    alert.refresh_from_db()
    assert alert.state == UrgentAlert.State.OPEN
    assert recipients(alert) == [(admin.pk, "nobody_on_duty:admin")]
    assert other_admin.pk not in [pk for pk, _ in recipients(alert)]
    assert AuditEvent.objects.filter(action="escalate", object_id=str(alert.pk),
                                     detail__why="nobody_on_duty").exists()


def test_someone_coming_on_duty_in_time_gets_it_instead_of_the_admin():
    person = client_with_route("on_call")
    admin = f.admin(person.practice)
    alert = send_from_client(person.user, URGENT, at=AT).alert
    late = f.clinician(person.practice, on_call_eligible=True)
    OnCallShift.objects.create(practice=person.practice, clinician=late,
                               starts_at=AT + 5 * MINUTE, ends_at=AT + timedelta(hours=8))
    alerts.escalate_due(AT + 6 * MINUTE)
    assert recipients(alert) == [(late.user.pk, "came_on_duty")]
    # The newcomer now has the usual time to acknowledge before the admin hears of it.
    alerts.escalate_due(AT + 15 * MINUTE)
    assert recipients(alert) == [(late.user.pk, "came_on_duty")]
    alerts.escalate_due(AT + 16 * MINUTE)
    assert recipients(alert)[-1] == (admin.pk, "not_acknowledged:admin")


def test_a_clinician_route_outside_its_crisis_hours_is_not_sent_to_anyone_else():
    # Crisis hours on a day three away from AT's: outside them now.
    person = client_with_route("clinician", crisis_hours=[[(AT.weekday() + 3) % 7,
                                                           "10:00", "12:00"]])
    f.admin(person.practice)
    alert = send_from_client(person.user, URGENT, at=AT).alert
    assert alert.state == UrgentAlert.State.UNROUTED
    assert alert.escalate_at is None
    assert alerts.escalate_due(AT + 60 * MINUTE) == 0
    assert recipients(alert) == []


def test_the_admin_is_not_woken_once_the_clinician_has_read_the_message():
    person = client_with_route("on_call")
    f.admin(person.practice)
    alert = send_from_client(person.user, URGENT, at=AT).alert
    alert.message.read_at = AT + 5 * MINUTE
    alert.message.save(update_fields=["read_at"])
    assert alerts.escalate_due(AT + 10 * MINUTE) == 0
    assert recipients(alert) == []
