"""Urgent is never held, dropped or delayed.

For every combination of agreement (none, unsigned, inbox closed, inbox open, a signed
version with a revision the client has not signed yet), crisis route
(resources; the clinician with crisis hours inside, outside or none; the on-call rota with a
shift now or none), clinician time off (none, now) and office hours (inside, outside, none), an
urgent message sent through `send_from_client` either

* meets a closed inbox under an agreement that names nobody for crises (none, unsigned, or
  crisis resources only; a pending revision leaves the signed version's crisis route in
  force): InboxClosed carries the urgent triage (the client is shown crisis
  help), nothing is stored and the attempt is audited; or
* is released at once (never held, no automatic "outside hours" reply) and raises an
  UrgentAlert that either went to a real, active person as urgent outbox rows due now, or is
  unrouted with the message pinned at the top of the clinician's inbox.

Then: the release planner never touches an urgent message, and the dispatcher claims urgent
rows before any other.
"""

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from interlude.agreements.models import AgreementSignature, TimeOff
from interlude.audit.models import AuditEvent
from interlude.crisis.models import OnCallShift, UrgentAlert
from interlude.inbox import holding
from interlude.inbox.models import Message
from interlude.inbox.services import InboxClosed, send_from_client
from interlude.outreach.dispatcher import Dispatcher
from interlude.outreach.models import Delivery
from tests import factories as f
from tests.dispatcher_support import add

pytestmark = pytest.mark.django_db

URGENT = "I want to kill myself tonight"
LA = ZoneInfo("America/Los_Angeles")
# A Wednesday: 10:00 is inside weekday office hours 9-17, 22:00 outside them.
INSIDE_OFFICE = datetime(2026, 3, 4, 10, 0, tzinfo=LA)
OUTSIDE_OFFICE = datetime(2026, 3, 4, 22, 0, tzinfo=LA)

AGREEMENTS = ("none", "unsigned", "inbox_closed", "inbox_open", "revision_pending")
ROUTES = ("resources", "clinician_inside", "clinician_outside", "clinician_none",
          "on_call_shift", "on_call_empty")
TIME_OFF = ("none", "now")
OFFICE = ("inside", "outside", "none")
# A pending revision closes the inbox until it is signed (like inbox_closed), but not the
# crisis route of the version the client signed.
CLOSED = {"none", "unsigned", "inbox_closed", "revision_pending"}
OPENS_CRISIS = {"inbox_closed", "revision_pending"}


def crisis_hours(route, at):
    weekday = at.astimezone(LA).weekday()
    if route == "clinician_inside":
        return [[weekday, "00:00", "23:59"]]
    if route == "clinician_outside":
        return [[(weekday + 3) % 7, "10:00", "12:00"]]
    return []


def build(agreement, route, time_off, office, at):
    """A practice, the client's clinician and the client as the case describes; returns
    (client, on-call clinician or None)."""
    practice = f.practice()
    clinician = f.clinician(practice, time_zone="America/Los_Angeles")
    if office != "none":
        f.weekday_hours(clinician)
    person = f.client(clinician, phone="+15555550100")
    f.admin(practice)
    if time_off == "now":
        TimeOff.objects.create(clinician=clinician, starts_at=at - timedelta(hours=5),
                               ends_at=at + timedelta(hours=5))
    on_call = None
    if route == "on_call_shift":
        on_call = f.clinician(practice, on_call_eligible=True)
        OnCallShift.objects.create(practice=practice, clinician=on_call,
                                   starts_at=at - timedelta(hours=1),
                                   ends_at=at + timedelta(hours=1))
    if agreement != "none":
        # resources, clinician_inside -> clinician, on_call_shift -> on_call, ...
        row = f.agreement(person, inbox_open=agreement != "inbox_closed",
                          crisis_route=route.rsplit("_", 1)[0] if "_" in route else route,
                          crisis_hours=crisis_hours(route, at))
        if agreement != "unsigned":
            AgreementSignature.objects.create(agreement=row, signed_by=person.user, version=1)
        if agreement == "revision_pending":
            f.agreement(person, version=2, inbox_open=True, crisis_route="resources")
    return person, on_call


def expected_recipient(route, time_off, person, on_call):
    """Whom the agreement names at that instant, or None for nobody on duty."""
    if route == "on_call_shift":
        return on_call.user
    if route == "clinician_inside" and time_off == "none":
        return person.clinician.user
    return None


def refused(agreement, route):
    """A closed inbox refuses an urgent text only when no crisis route names a person."""
    return agreement in CLOSED and (agreement not in OPENS_CRISIS or route == "resources")


def assert_never_held(agreement, route, time_off, office, at):
    person, on_call = build(agreement, route, time_off, office, at)
    if refused(agreement, route):
        with pytest.raises(InboxClosed) as closed:
            send_from_client(person.user, URGENT, at=at)
        # The client's page shows crisis help for this; nothing was stored or sent.
        assert closed.value.triage_result.level == "urgent"
        assert not Message.objects.filter(thread__client=person).exists()
        assert not UrgentAlert.objects.filter(client=person).exists()
        # Only the clinician's notice that the client tried (no words, in their hours).
        rows = Delivery.objects.filter(practice=person.practice)
        assert [(r.kind, r.recipient) for r in rows] == [("urgent_not_sent",
                                                          person.clinician.user)]
        assert "kill" not in rows.get().subject
        assert AuditEvent.objects.filter(action="urgent_not_sent",
                                         client_id_ref=person.pk).count() == 1
        return
    outcome = send_from_client(person.user, URGENT, at=at)
    message = Message.objects.get(pk=outcome.message.pk)
    assert (message.level, message.released_at, message.held_until) == ("urgent", at, None)
    assert not outcome.held
    # No "your message waits for office hours" reply: nothing about it waits.
    assert list(Message.objects.filter(thread=message.thread)) == [message]
    alert = UrgentAlert.objects.get(message=message)
    assert outcome.alert == alert
    assert_routed_or_pinned(alert, message, expected_recipient(route, time_off, person,
                                                               on_call))


def assert_routed_or_pinned(alert, message, recipient):
    rows = Delivery.objects.filter(ref_type="urgent_alert", ref_id=str(alert.pk))
    if recipient is None:
        assert alert.state == UrgentAlert.State.UNROUTED
        assert message.is_pinned
        assert not rows.exists()
        return
    assert alert.state == UrgentAlert.State.OPEN
    assert recipient.is_active
    assert list(alert.notices.values_list("recipient", flat=True)) == [recipient.pk]
    in_app = rows.get(channel="in_app")
    assert in_app.recipient == recipient
    # Due the instant the message came (the dispatcher takes due rows, urgent ones first).
    assert all(row.priority == Delivery.URGENT and row.due_at <= message.created_at
               and row.state == Delivery.State.PENDING for row in rows)
    assert alert.escalate_at is not None


CASES = list(itertools.product(AGREEMENTS, ROUTES, TIME_OFF, OFFICE))


@pytest.mark.parametrize(("agreement", "route", "time_off", "office"), CASES)
def test_an_urgent_message_is_never_held_and_always_reaches_someone_or_is_pinned(
        agreement, route, time_off, office):
    at = OUTSIDE_OFFICE if office == "outside" else INSIDE_OFFICE
    assert_never_held(agreement, route, time_off, office, at)


# --- any instant of the year, daylight-saving changes included --------------------------------

YEAR = datetime(2026, 1, 1, tzinfo=UTC)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=st.sampled_from([c for c in CASES if c[0] == "inbox_open"]),
       minutes=st.integers(min_value=0, max_value=365 * 24 * 60))
def test_it_holds_at_any_instant_of_the_year(case, minutes):
    agreement, route, time_off, office = case
    at = YEAR + timedelta(minutes=minutes)
    # A window ends on the day it starts, so the last minute of a day is never inside one.
    assume(at.astimezone(LA).time() < time(23, 59))
    with transaction.atomic():
        assert_never_held(agreement, route, time_off, office, at)
        transaction.set_rollback(True)


# --- the release planner and the dispatcher --------------------------------------------------

def open_inbox_client():
    practice = f.practice()
    clinician = f.clinician(practice)
    f.weekday_hours(clinician)
    person = f.client(clinician)
    row = f.agreement(person, crisis_route="resources")
    AgreementSignature.objects.create(agreement=row, signed_by=person.user, version=1)
    return person


def test_an_urgent_message_does_not_wait_behind_a_held_batch():
    person = open_inbox_client()
    held = send_from_client(person.user, "See you next week.", at=OUTSIDE_OFFICE).message
    urgent = send_from_client(person.user, URGENT, at=OUTSIDE_OFFICE + timedelta(minutes=5))
    assert held.held_until is not None and held.released_at is None
    assert urgent.message.released_at == OUTSIDE_OFFICE + timedelta(minutes=5)
    assert urgent.message.held_until is None


def test_the_release_planner_never_touches_an_urgent_message():
    person = open_inbox_client()
    send_from_client(person.user, "See you next week.", at=OUTSIDE_OFFICE)
    urgent = send_from_client(person.user, URGENT, at=OUTSIDE_OFFICE + timedelta(minutes=5))
    before = Message.objects.filter(pk=urgent.message.pk).values().get()
    morning = datetime(2026, 3, 5, 9, 0, tzinfo=LA)
    assert urgent.message not in holding.due_messages(morning)
    assert holding.release_due(morning) == 1
    after = Message.objects.filter(pk=urgent.message.pk).values().get()
    assert after == before


def test_the_dispatcher_claims_an_urgent_alert_before_a_full_batch_of_older_rows():
    person = open_inbox_client()
    practice = person.practice
    now = timezone.now()
    for n in range(8):
        add(practice, f"old:{n}", due_at=now - timedelta(days=1, minutes=n))
    shift_clinician = f.clinician(practice, on_call_eligible=True)
    OnCallShift.objects.create(practice=practice, clinician=shift_clinician,
                               starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
    row = person.agreements.get()
    row.crisis_route = "on_call"
    row.save()
    alert = send_from_client(person.user, URGENT).alert
    alert_rows = set(Delivery.objects.filter(ref_type="urgent_alert")
                     .values_list("idempotency_key", flat=True))
    assert len(alert_rows) == 2
    claimed = Dispatcher("d1", batch=2).claim()
    assert {d.idempotency_key for d in claimed} == alert_rows
    assert all(d.ref_id == str(alert.pk) for d in claimed)
