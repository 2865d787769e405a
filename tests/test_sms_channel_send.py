"""The SMS channel sends through Twilio's client library to a local Twilio-compatible server."""

import pytest

from interlude.outreach import outbox
from interlude.outreach.channels import ChannelUnavailable, PermanentFailure, get_channel
from interlude.outreach.models import PracticeChannels
from tests import factories
from tests.support.sms_provider import FakeSmsProvider

pytestmark = pytest.mark.django_db


def sms_practice(sms_from=""):
    practice = factories.practice()
    PracticeChannels.objects.update_or_create(
        practice=practice, defaults={"sms_enabled": True, "sms_from": sms_from})
    return practice


@pytest.fixture
def provider(settings):
    with FakeSmsProvider(account_sid="AC0001", auth_token="tok-1") as fake:
        settings.SMS_ACCOUNT_SID = "AC0001"
        settings.SMS_AUTH_TOKEN = "tok-1"
        settings.SMS_FROM = "+15550000001"
        settings.SMS_API_BASE_URL = fake.url
        yield fake


def sms_delivery(practice, key="reminder:1:sms", address="+15551234567", body="See you soon"):
    return outbox.enqueue(practice=practice, channel="sms", kind="reminder",
                          idempotency_key=key, address=address, body=body)


def test_it_sends_to_from_and_body_with_both_idempotency_headers(provider):
    delivery = sms_delivery(sms_practice(), key="reminder:42:sms")

    sid = get_channel("sms").send(delivery)

    assert len(provider.received) == 1
    got = provider.received[0]
    assert got["sid"] == sid
    assert (got["to"], got["from"], got["body"]) == ("+15551234567", "+15550000001",
                                                     "See you soon")
    assert got["idempotency_token"] == "reminder:42:sms"
    assert got["idempotency_key"] == "reminder:42:sms"
    assert got["account_sid"] == "AC0001"


def test_it_reuses_one_client_across_a_batch_with_each_messages_own_key(provider):
    practice = sms_practice()
    first, second = sms_delivery(practice, key="k-1"), sms_delivery(practice, key="k-2")
    channel = get_channel("sms")

    channel.open()
    try:
        channel.send(first)
        channel.send(second)
    finally:
        channel.close()

    assert [r["idempotency_key"] for r in provider.received] == ["k-1", "k-2"]
    assert [r["idempotency_token"] for r in provider.received] == ["k-1", "k-2"]


def test_it_sends_from_the_practices_own_number_when_it_has_one(provider):
    practice = sms_practice(sms_from="+15559990000")

    get_channel("sms").send(sms_delivery(practice))

    assert provider.received[0]["from"] == "+15559990000"


def test_it_refuses_an_empty_address_for_good_without_a_request(provider):
    delivery = sms_delivery(sms_practice(), address="  ")

    with pytest.raises(PermanentFailure):
        get_channel("sms").send(delivery)

    assert provider.received == []
    assert provider.refused == 0


def test_it_calls_a_missing_account_a_configuration_error(provider, settings):
    delivery = sms_delivery(sms_practice())
    settings.SMS_AUTH_TOKEN = ""

    with pytest.raises(ChannelUnavailable):
        get_channel("sms").send(delivery)

    assert provider.received == []


def test_it_refuses_wrong_credentials_for_good(provider, settings):
    settings.SMS_AUTH_TOKEN = "not-the-token"

    with pytest.raises(PermanentFailure, match="401"):
        get_channel("sms").send(sms_delivery(sms_practice()))

    assert provider.received == []
