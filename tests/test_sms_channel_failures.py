"""SMS failures: what a retry may fix is temporary, what it will not is permanent."""

import logging
import socket

import pytest

from interlude.outreach import outbox
from interlude.outreach.channels import PermanentFailure, TemporaryFailure, get_channel
from interlude.outreach.models import PracticeChannels
from tests import factories
from tests.support.sms_provider import FakeSmsProvider

pytestmark = pytest.mark.django_db
BODY = "Private words that must never reach a log"


def sms_practice(sms_from=""):
    practice = factories.practice()
    PracticeChannels.objects.update_or_create(
        practice=practice, defaults={"sms_enabled": True, "sms_from": sms_from})
    return practice


@pytest.fixture
def provider(settings):
    with FakeSmsProvider(account_sid="AC0002", auth_token="tok-2") as fake:
        settings.SMS_ACCOUNT_SID = "AC0002"
        settings.SMS_AUTH_TOKEN = "tok-2"
        settings.SMS_FROM = "+15550000002"
        settings.SMS_API_BASE_URL = fake.url
        yield fake


def sms_delivery():
    return outbox.enqueue(practice=sms_practice(), channel="sms", kind="reminder",
                          idempotency_key="fail:1", address="+15551234567", body=BODY)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_it_calls_a_server_error_or_throttling_temporary(provider, status):
    provider.fail_with(status)

    with pytest.raises(TemporaryFailure, match=str(status)):
        get_channel("sms").send(sms_delivery())

    assert provider.refused == 1
    assert provider.received == []


def test_it_calls_an_invalid_number_permanent_with_twilios_code(provider):
    provider.fail_with(400)

    with pytest.raises(PermanentFailure, match="21211"):
        get_channel("sms").send(sms_delivery())

    assert provider.refused == 1


def test_it_sends_again_once_the_provider_recovers(provider):
    delivery = sms_delivery()
    provider.fail_with(500)
    with pytest.raises(TemporaryFailure):
        get_channel("sms").send(delivery)

    provider.fail_with(None)
    get_channel("sms").send(delivery)

    assert [r["idempotency_key"] for r in provider.received] == ["fail:1"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_calls_a_provider_that_is_down_temporary(settings):
    settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN = "AC0003", "tok-3"
    settings.SMS_FROM = "+15550000003"
    settings.SMS_API_BASE_URL = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(TemporaryFailure, match="unreachable"):
        get_channel("sms").send(sms_delivery())


def test_it_keeps_the_body_and_number_out_of_the_logs(provider, caplog):
    caplog.set_level(logging.DEBUG)
    provider.fail_with(400)

    with pytest.raises(PermanentFailure) as failure:
        get_channel("sms").send(sms_delivery())
    provider.fail_with(None)
    get_channel("sms").send(sms_delivery())

    assert provider.received[0]["body"] == BODY
    assert BODY not in caplog.text
    assert "5551234567" not in caplog.text
    assert BODY not in str(failure.value)
