"""Reminders are planned per rule and per channel the client prefers, at the right times, once
each; channels that cannot reach the client are skipped with a warning that names nobody; a
reminder whose time has passed is skipped; and nothing goes unless the client's signed agreement
opens automated messages."""

import logging
from datetime import UTC, datetime, timedelta

import pytest

from interlude.agreements.models import AgreementSignature
from interlude.outreach import reminders
from interlude.outreach.models import Delivery, PracticeChannels, ReminderRule
from tests import factories as f
from tests.appointment_support import book, freeze, reminders_of, signed_client

pytestmark = pytest.mark.django_db

START = datetime(2030, 3, 5, 18, 0, tzinfo=UTC)  # 13:00 in New York, out of quiet hours


@pytest.fixture
def sms_practice(settings):
    settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN = "AC123", "token"
    w = f.world()
    PracticeChannels.objects.update_or_create(practice=w.practice,
                                              defaults={"sms_enabled": True})
    return w


def test_it_uses_the_clients_rules_else_the_practices_else_48_and_2_hours():
    w = f.world()
    assert reminders.rules_for(w.client) == [2880, 120]
    ReminderRule.objects.create(practice=w.practice, minutes_before=60)
    ReminderRule.objects.create(practice=w.practice, minutes_before=1440)
    ReminderRule.objects.create(practice=w.other_practice, minutes_before=30)
    assert reminders.rules_for(w.client) == [1440, 60]
    assert reminders.rules_for(w.foreign_client) == [30]
    ReminderRule.objects.create(practice=w.practice, client=w.client, minutes_before=90)
    assert reminders.rules_for(w.client) == [90]
    assert reminders.rules_for(w.other_client) == [1440, 60]


def test_it_plans_one_reminder_per_rule_and_channel_at_the_right_times(sms_practice):
    w = sms_practice
    ana = signed_client(w.clinician, phone="+1 212 555 0100",
                        preferred_channels=["sms", "email", "in_app"])

    appointment = book(ana, START)

    rows = list(reminders_of(appointment))
    assert len(rows) == 6
    expected = {(START - timedelta(minutes=m), channel, address)
                for m in (2880, 120)
                for channel, address in (("sms", "+1 212 555 0100"),
                                         ("email", ana.user.email), ("in_app", ""))}
    assert {(r.due_at, r.channel, r.address) for r in rows} == expected
    assert {r.idempotency_key for r in rows} == {
        f"reminder:{appointment.pk}:0:{m}:{c}" for m in (2880, 120)
        for c in ("sms", "email", "in_app")}
    assert all(r.state == "pending" and r.recipient == ana.user and r.kind == "reminder"
               and r.priority == Delivery.NORMAL and r.practice == w.practice for r in rows)


def test_planning_again_adds_nothing(sms_practice):
    ana = signed_client(sms_practice.clinician)
    appointment = book(ana, START)
    before = list(reminders_of(appointment).values_list("pk", "due_at", "state"))

    reminders.plan_for(appointment)
    reminders.plan_for(appointment)

    assert list(reminders_of(appointment).values_list("pk", "due_at", "state")) == before


def test_it_skips_sms_without_a_phone_and_without_the_practices_sms(sms_practice, caplog,
                                                                    settings):
    w = sms_practice
    no_phone = signed_client(w.clinician, name="Nadia Phoneless",
                             preferred_channels=["sms", "email"])
    with caplog.at_level(logging.WARNING, logger="interlude.outreach.reminders"):
        first = book(no_phone, START)
    assert {r.channel for r in reminders_of(first)} == {"email"}
    assert "no phone number" in caplog.text
    for private in ("Nadia", no_phone.user.email):
        assert private not in caplog.text

    PracticeChannels.objects.filter(practice=w.practice).update(sms_enabled=False)
    with_phone = signed_client(w.clinician, phone="+1 212 555 0101",
                               preferred_channels=["sms"])
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="interlude.outreach.reminders"):
        second = book(with_phone, START + timedelta(days=1))
    assert not reminders_of(second).exists()
    assert "has not enabled it" in caplog.text and "555" not in caplog.text


def test_it_uses_in_app_and_email_when_the_client_has_not_said():
    w = f.world()
    ana = signed_client(w.clinician, preferred_channels=[])

    appointment = book(ana, START)

    assert {r.channel for r in reminders_of(appointment)} == {"in_app", "email"}


def test_it_skips_a_reminder_whose_time_has_passed(monkeypatch):
    w = f.world()
    ana = signed_client(w.clinician)
    freeze(monkeypatch, START - timedelta(hours=3))

    appointment = book(ana, START)

    assert {r.due_at for r in reminders_of(appointment)} == {START - timedelta(hours=2)}


def test_it_sends_nothing_when_the_agreement_does_not_open_automated_messages():
    w = f.world()
    unsigned = f.client(w.clinician)
    f.agreement(unsigned)
    closed = f.client(w.clinician)
    agreement = f.agreement(closed, automated_open=False)
    AgreementSignature.objects.create(agreement=agreement, signed_by=closed.user, version=1)
    without = f.client(w.clinician)

    for person in (unsigned, closed, without):
        appointment = book(person, START + timedelta(hours=person.pk))
        assert not reminders_of(appointment).exists()


def test_a_new_rule_replans_upcoming_appointments_and_a_removed_one_withdraws(client):
    w = f.world()
    ana = signed_client(w.clinician)
    appointment = book(ana, START)
    admin = w.admin

    rule = reminders.add_rule(admin, w.practice, 1440)

    assert {r.due_at for r in reminders_of(appointment, "pending")} == {
        START - timedelta(hours=24)}
    assert {r.due_at for r in reminders_of(appointment, "cancelled")} == {
        START - timedelta(hours=48), START - timedelta(hours=2)}

    reminders.remove_rule(admin, rule)

    assert {r.due_at for r in reminders_of(appointment, "pending")} == {
        START - timedelta(hours=48), START - timedelta(hours=2)}
    assert reminders_of(appointment).count() == 6  # revived, not duplicated


def test_the_planner_catches_up_when_the_agreement_is_signed_after_booking():
    w = f.world()
    ana = f.client(w.clinician)
    agreement = f.agreement(ana)
    appointment = book(ana, START)
    assert not reminders_of(appointment).exists()
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    now = START - timedelta(days=3)

    reminders.plan_upcoming(now)
    reminders.plan_upcoming(now)

    assert {(r.due_at, r.channel) for r in reminders_of(appointment, "pending")} == {
        (START - timedelta(minutes=m), c) for m in (2880, 120) for c in ("in_app", "email")}
    assert reminders_of(appointment).count() == 4
    # Beyond the fortnight ahead, nothing is planned yet.
    far = book(ana, START + timedelta(days=30))
    Delivery.objects.filter(ref_id=str(far.pk)).delete()
    reminders.plan_upcoming(now)
    assert not reminders_of(far).exists()
