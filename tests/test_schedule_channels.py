"""A schedule sends on its channel to the client's address there; a channel the practice lacks
is refused when the schedule is saved, and when it goes missing later (or the outbox refuses
it) planning stops with the problem shown on the schedule, never silently and never logging
who it was for."""

import logging

import pytest
from django.core.exceptions import ValidationError

from interlude.outreach import outbox, schedules
from interlude.outreach.channels import ChannelUnavailable
from interlude.outreach.models import PracticeChannels, Schedule
from tests import factories as f
from tests.test_schedule_planner import calendar_schedule, rows_of, signed, utc

pytestmark = pytest.mark.django_db

NOW = utc(2030, 1, 6, 12)


@pytest.fixture
def sms_account(settings):
    settings.SMS_ACCOUNT_SID = "AC123"
    settings.SMS_AUTH_TOKEN = "secret"


def with_sms(w):
    PracticeChannels.objects.update_or_create(practice=w.practice,
                                              defaults={"sms_enabled": True})
    w.client.phone = "+15551230000"
    w.client.save()


def test_it_sends_email_and_text_messages_to_the_clients_address(sms_account):
    w = f.world()
    with_sms(w)
    signed(w.client)
    by_email = calendar_schedule(w.client, channel="email")
    by_text = calendar_schedule(w.client, channel="sms", body="Time for your practice.")

    schedules.plan_due_occurrences(NOW)

    email = rows_of(by_email).get()
    text = rows_of(by_text).get()
    assert (email.channel, email.address) == ("email", w.client.user.email)
    assert (text.channel, text.address, text.body) == ("sms", "+15551230000",
                                                       "Time for your practice.")


def test_it_refuses_to_save_a_schedule_on_a_channel_the_practice_lacks():
    w = f.world()

    with pytest.raises(ValidationError) as refused:
        calendar_schedule(w.client, channel="sms")

    assert refused.value.message_dict["channel"] == [
        "The practice has not enabled text messages."]
    assert not Schedule.objects.exists()


def test_it_refuses_text_messages_to_a_client_without_a_phone(sms_account):
    w = f.world()
    with_sms(w)
    w.client.phone = ""
    w.client.save()

    with pytest.raises(ValidationError) as refused:
        calendar_schedule(w.client, channel="sms")

    assert "no phone number" in refused.value.message_dict["channel"][0]


def test_it_stops_and_says_so_when_the_practice_switches_the_channel_off(sms_account, caplog):
    w = f.world()
    with_sms(w)
    signed(w.client)
    schedule = calendar_schedule(w.client, channel="sms")
    schedules.plan_due_occurrences(NOW)

    PracticeChannels.objects.filter(practice=w.practice).update(sms_enabled=False)
    with caplog.at_level(logging.WARNING, logger="interlude.outreach.schedules"):
        schedules.plan_due_occurrences(NOW)

    assert list(rows_of(schedule).values_list("state", flat=True)) == ["cancelled"]
    assert Schedule.objects.get(pk=schedule.pk).last_problem == "channel_off:sms"
    assert f"Schedule {schedule.pk} is not planned: channel_off:sms" in caplog.text
    for secret in (w.client.display_name, w.client.phone, w.client.user.email, schedule.body):
        assert secret not in caplog.text


def test_it_records_a_channel_the_outbox_refuses(monkeypatch, caplog):
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)

    def refuse(**kwargs):
        raise ChannelUnavailable("not configured")

    monkeypatch.setattr(outbox, "enqueue", refuse)
    with caplog.at_level(logging.WARNING, logger="interlude.outreach.schedules"):
        planned = schedules.plan_due_occurrences(NOW)

    assert planned == 0
    assert not rows_of(schedule).exists()
    schedule.refresh_from_db()
    assert schedule.last_problem == "channel_unavailable:in_app"
    assert schedules.problem_text(schedule.last_problem) == \
        "The in-app channel is not available."
    assert "channel_unavailable:in_app" in caplog.text
    assert schedule.body not in caplog.text
