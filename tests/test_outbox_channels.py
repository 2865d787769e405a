"""A channel the practice has not enabled is refused with a clear error, never dropped; and
the server refuses to start when SMS is on without an SMS account."""

import pytest
from django.test.utils import override_settings

from interlude.outreach.channels import ChannelUnavailable, get_channel
from interlude.outreach.checks import sms_needs_an_account
from interlude.outreach.models import Delivery, PracticeChannels
from tests import factories
from tests.dispatcher_support import add

pytestmark = pytest.mark.django_db


def test_it_refuses_sms_for_a_practice_without_sms_and_keeps_nothing():
    home = factories.practice()
    with pytest.raises(ChannelUnavailable, match="has not enabled the “sms” channel"):
        add(home, "k1", channel="sms")
    assert Delivery.objects.count() == 0


def test_it_creates_the_default_channels_the_first_time_a_practice_enqueues():
    home = factories.practice()
    add(home, "k1", channel="email", address="a@example.org")
    switches = PracticeChannels.objects.get(practice=home)
    assert (switches.email_enabled, switches.sms_enabled) == (True, False)
    assert Delivery.objects.get().channel == "email"


def test_it_refuses_email_once_the_practice_switches_it_off():
    home = factories.practice()
    PracticeChannels.objects.create(practice=home, email_enabled=False)
    with pytest.raises(ChannelUnavailable, match="email"):
        add(home, "k1", channel="email", address="a@example.org")
    add(home, "k2", channel="in_app")
    assert list(Delivery.objects.values_list("idempotency_key", flat=True)) == ["k2"]


@override_settings(SMS_ACCOUNT_SID="", SMS_AUTH_TOKEN="")
def test_it_refuses_sms_when_enabled_but_the_server_has_no_account():
    home = factories.practice()
    PracticeChannels.objects.create(practice=home, sms_enabled=True)
    with pytest.raises(ChannelUnavailable, match="SMS_ACCOUNT_SID"):
        add(home, "k1", channel="sms", address="+15555550100")
    assert Delivery.objects.count() == 0


@override_settings(SMS_ACCOUNT_SID="AC123", SMS_AUTH_TOKEN="secret")
def test_it_accepts_sms_when_enabled_and_configured():
    home = factories.practice()
    PracticeChannels.objects.create(practice=home, sms_enabled=True)
    add(home, "k1", channel="sms", address="+15555550100")
    assert Delivery.objects.get().channel == "sms"


def test_it_refuses_a_channel_that_does_not_exist():
    home = factories.practice()
    with pytest.raises(ChannelUnavailable, match="pigeon"):
        add(home, "k1", channel="pigeon")
    with pytest.raises(ChannelUnavailable):
        get_channel("pigeon")
    assert Delivery.objects.count() == 0


def test_it_checks_the_practice_when_asked_for_a_channel_on_its_behalf():
    home = factories.practice()
    with pytest.raises(ChannelUnavailable):
        get_channel("sms", practice=home)
    assert get_channel("in_app", practice=home).name == "in_app"


@override_settings(SMS_ACCOUNT_SID="", SMS_AUTH_TOKEN="")
def test_it_fails_the_start_up_check_when_a_practice_has_sms_without_an_account():
    assert sms_needs_an_account(None) == []
    home = factories.practice("Harbor Counseling")
    PracticeChannels.objects.create(practice=home, sms_enabled=True)
    errors = sms_needs_an_account(None)
    assert [e.id for e in errors] == ["outreach.E001"]
    assert "Harbor Counseling" in errors[0].msg
    assert "SMS_AUTH_TOKEN" in errors[0].hint


@override_settings(SMS_ACCOUNT_SID="AC123", SMS_AUTH_TOKEN="secret")
def test_it_passes_the_start_up_check_when_the_sms_account_is_set():
    home = factories.practice()
    PracticeChannels.objects.create(practice=home, sms_enabled=True)
    assert sms_needs_an_account(None) == []
