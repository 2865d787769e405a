"""Signing the agreement records the version, the time, the IP address and the browser; a stale
version is refused with nothing written; a new version closes the channels until it is signed."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interlude.agreements import availability
from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Test; Signing)"


@pytest.fixture
def world():
    return factories.world()


def sign(client, version, agree="yes", ip="203.0.113.7"):
    data = {"version": version}
    if agree:
        data["agree"] = agree
    return client.post(reverse("client_agreement_sign"), data, REMOTE_ADDR=ip,
                       HTTP_USER_AGENT=BROWSER)


def test_it_records_the_version_time_ip_and_browser_of_a_signature(client, world):
    agreement = factories.agreement(world.client, version=1)
    factories.verified_login(client, world.client.user)
    before = timezone.now()
    response = sign(client, 1)
    assert response.status_code == 302
    assert response["Location"] == reverse("client_agreement")
    signature = AgreementSignature.objects.get()
    assert signature.agreement == agreement
    assert signature.version == 1
    assert signature.signed_by == world.client.user
    assert signature.ip_address == "203.0.113.7"
    assert signature.user_agent == BROWSER
    assert before <= signature.signed_at <= timezone.now()
    event = AuditEvent.objects.get(action="sign")
    assert event.detail == {"version": 1}
    assert event.ip_address == "203.0.113.7"
    page = client.get(reverse("client_agreement")).content.decode()
    assert "Thank you. You signed your agreement." in page
    assert "You signed this agreement on" in page
    assert 'name="agree"' not in page


def test_it_shows_the_signature_date_in_the_clients_own_zone(client, world):
    agreement = factories.agreement(world.client, version=1)
    factories.verified_login(client, world.client.user)
    sign(client, 1)
    AgreementSignature.objects.filter(agreement=agreement).update(
        signed_at=datetime(2026, 12, 2, 3, 30, tzinfo=UTC))
    page = client.get(reverse("client_agreement")).content.decode()
    # 03:30 UTC is 22:30 the evening before in New York.
    assert "You signed this agreement on 1 December 2026 at 22:30." in page


def test_it_refuses_a_stale_version_and_writes_nothing(client, world):
    factories.agreement(world.client, version=1)
    factories.agreement(world.client, version=2, inbox_promise="Now read within two days.")
    factories.verified_login(client, world.client.user)
    response = sign(client, 1)
    assert response.status_code == 302
    assert not AgreementSignature.objects.exists()
    assert not AuditEvent.objects.filter(action="sign").exists()
    page = client.get(response["Location"]).content.decode()
    assert "This agreement changed while you were reading it. Nothing was signed." in page
    assert "Now read within two days." in page
    assert 'name="version" value="2"' in page


def test_it_refuses_a_signature_without_the_box_ticked(client, world):
    factories.agreement(world.client, version=1)
    factories.verified_login(client, world.client.user)
    response = sign(client, 1, agree=None)
    assert response.status_code == 400
    assert "Please tick the box" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not AgreementSignature.objects.exists()


def test_it_refuses_a_version_that_is_not_a_number(client, world):
    factories.agreement(world.client, version=1)
    factories.verified_login(client, world.client.user)
    response = sign(client, "one")
    assert response.status_code == 302
    assert not AgreementSignature.objects.exists()


def test_it_does_not_sign_twice_and_shows_the_first_signature(client, world):
    factories.agreement(world.client, version=1)
    factories.verified_login(client, world.client.user)
    sign(client, 1)
    first = AgreementSignature.objects.get()
    response = sign(client, 1, ip="198.51.100.9")
    assert response.status_code == 302
    assert list(AgreementSignature.objects.all()) == [first]
    assert AgreementSignature.objects.get().ip_address == "203.0.113.7"
    assert AuditEvent.objects.filter(action="sign").count() == 1
    assert "You signed this agreement on" in client.get(response["Location"]).content.decode()


def test_it_answers_a_client_without_an_agreement_plainly(client, world):
    factories.verified_login(client, world.client.user)
    response = sign(client, 1)
    assert response.status_code == 302
    assert not AgreementSignature.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "There is no agreement to sign yet." in page


def test_it_refuses_a_get_request_to_sign(client, world):
    factories.agreement(world.client, version=1)
    factories.verified_login(client, world.client.user)
    assert client.get(reverse("client_agreement_sign")).status_code == 405
    assert not AgreementSignature.objects.exists()


def test_it_signs_only_the_clients_own_agreement_in_a_world_of_others(client, world):
    mine = factories.agreement(world.client, version=1)
    theirs = factories.agreement(world.other_client, version=1)
    foreign = factories.agreement(world.foreign_client, version=1)
    factories.verified_login(client, world.client.user)
    sign(client, 1)
    assert AgreementSignature.objects.get().agreement == mine
    for other in (theirs, foreign):
        assert not AgreementSignature.objects.filter(agreement=other).exists()


def test_it_closes_the_channels_when_a_new_version_is_offered_until_it_is_signed(client, world):
    factories.weekday_hours(world.clinician)
    factories.agreement(world.client, version=1, checkins_open=True, checkin_weekly_cap=1)
    factories.verified_login(client, world.client.user)
    sign(client, 1)
    assert availability.check(world.client, "inbox").reason != "not_signed"
    assert availability.check(world.client, "self_help").allowed

    factories.agreement(world.client, version=2, checkins_open=True, checkin_weekly_cap=1)
    for channel in ("inbox", "checkins", "self_help"):
        result = availability.check(world.client, channel)
        assert (result.allowed, result.reason) == (False, "not_signed")
    home = client.get(reverse("client_home")).content.decode()
    assert "Please read and sign your agreement." in home

    sign(client, 2)
    assert AgreementSignature.objects.filter(version=2).exists()
    assert availability.check(world.client, "self_help").allowed
    later = timezone.now() + timedelta(days=8)
    assert availability.check(world.client, "inbox", at=later).reason != "not_signed"
