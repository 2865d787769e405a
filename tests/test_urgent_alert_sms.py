"""An urgent alert is also texted to the alert phone of the clinician it goes to, when the
practice has text messages turned on: a text can wake an on-call clinician at night. Without
SMS, or without a phone, the alert still goes in-app and by email."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from interlude.agreements.models import AgreementSignature
from interlude.crisis import alerts
from interlude.crisis.models import OnCallShift
from interlude.inbox.services import send_from_client
from interlude.outreach.models import Delivery, PracticeChannels
from tests import factories as f

pytestmark = pytest.mark.django_db

URGENT = "I want to kill myself tonight"
# Wednesday 4 March 2026, 03:00 in Los Angeles: the middle of the night.
AT = datetime(2026, 3, 4, 3, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
FIRST_PHONE = "+12125550101"
SECOND_PHONE = "+12125550102"


@pytest.fixture
def sms_account(settings):
    settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN = "AC0042", "tok-42"


class Rota:
    def __init__(self, name="Harbor Counseling"):
        self.practice = f.practice(name)
        self.client = f.client(f.clinician(self.practice))
        agreement = f.agreement(self.client, crisis_route="on_call")
        AgreementSignature.objects.create(agreement=agreement, signed_by=self.client.user,
                                          version=1)
        self.first = self.on_call(1, alert_phone=FIRST_PHONE)
        self.second = self.on_call(2, alert_phone=SECOND_PHONE)
        self.admin = f.admin(self.practice)

    def on_call(self, position, **kw):
        clinician = f.clinician(self.practice, on_call_eligible=True, **kw)
        OnCallShift.objects.create(practice=self.practice, clinician=clinician,
                                   starts_at=AT - timedelta(hours=6),
                                   ends_at=AT + timedelta(hours=6), position=position)
        return clinician

    def turn_sms(self, on):
        PracticeChannels.objects.update_or_create(
            practice=self.practice, defaults={"sms_enabled": on, "sms_from": "+15550009999"})

    def raise_alert(self):
        return send_from_client(self.client.user, URGENT, at=AT).alert


def sent_to(user, alert):
    return Delivery.objects.filter(recipient=user, ref_type="urgent_alert", ref_id=str(alert.pk))


@pytest.fixture
def rota(sms_account):
    return Rota()


def test_it_texts_the_on_call_clinicians_alert_phone_as_an_urgent_delivery(rota):
    rota.turn_sms(True)
    alert = rota.raise_alert()
    text = sent_to(rota.first.user, alert).get(channel="sms")
    assert (text.address, text.priority, text.kind) == (FIRST_PHONE, Delivery.URGENT,
                                                        alerts.ALERT_KIND)
    assert text.idempotency_key == f"alert:{alert.pk}:0:sms"
    assert text.due_at == AT
    assert text.body == alerts.alert_words(alert, rota.first.user)[1]
    assert sorted(sent_to(rota.first.user, alert).values_list("channel", flat=True)) == [
        "email", "in_app", "sms"]


def test_it_sends_no_text_when_the_practice_has_sms_off_but_still_alerts(rota):
    rota.turn_sms(False)
    alert = rota.raise_alert()
    assert sorted(sent_to(rota.first.user, alert).values_list("channel", flat=True)) == [
        "email", "in_app"]
    assert not Delivery.objects.filter(channel="sms").exists()


def test_it_sends_no_text_when_the_server_has_no_sms_account(rota, settings):
    rota.turn_sms(True)
    settings.SMS_ACCOUNT_SID = settings.SMS_AUTH_TOKEN = ""
    alert = rota.raise_alert()
    assert sorted(sent_to(rota.first.user, alert).values_list("channel", flat=True)) == [
        "email", "in_app"]


def test_it_sends_no_text_to_a_clinician_without_an_alert_phone(rota):
    rota.turn_sms(True)
    rota.first.alert_phone = ""
    rota.first.save()
    alert = rota.raise_alert()
    assert sorted(sent_to(rota.first.user, alert).values_list("channel", flat=True)) == [
        "email", "in_app"]


def test_escalating_to_the_next_on_the_rota_texts_them_too(rota):
    rota.turn_sms(True)
    alert = rota.raise_alert()
    assert alerts.escalate_due(AT + timedelta(minutes=10)) == 1
    text = sent_to(rota.second.user, alert).get(channel="sms")
    assert (text.address, text.priority) == (SECOND_PHONE, Delivery.URGENT)
    assert text.idempotency_key == f"alert:{alert.pk}:1:sms"
    assert Delivery.objects.filter(channel="sms").count() == 2


def test_an_admin_without_a_clinician_row_gets_the_alert_without_a_text(rota):
    rota.turn_sms(True)
    alert = rota.raise_alert()
    alerts.escalate_due(AT + timedelta(minutes=10))
    alerts.escalate_due(AT + timedelta(minutes=20))
    assert sorted(sent_to(rota.admin, alert).values_list("channel", flat=True)) == [
        "email", "in_app"]


def test_acknowledging_withdraws_a_text_not_yet_sent(rota):
    rota.turn_sms(True)
    alert = rota.raise_alert()
    assert alerts.acknowledge(rota.first.user, alert) is True
    text = sent_to(rota.first.user, alert).get(channel="sms")
    assert text.state == Delivery.State.CANCELLED


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_text_carries_no_message_words_and_stays_short(sms_account, settings, language):
    settings.SITE_URL = "https://interlude.harbor-counseling-portland.example.org"
    rota = Rota("Harbor Counseling and Family Therapy Associates of Greater Portland")
    rota.turn_sms(True)
    rota.first.user.preferred_language = language
    rota.first.user.save()
    alert = rota.raise_alert()
    text = sent_to(rota.first.user, alert).get(channel="sms")
    assert "kill" not in text.body and "tonight" not in text.body
    assert rota.practice.name in text.body
    assert text.body.endswith(f"/alerts/{alert.pk}/")
    assert len(text.body) < 300
