"""The client's home page: their clinician, the state of their agreement, what is open now, when
a message will be read (in the client's own zone) and the way to crisis help."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from interlude.agreements.models import AgreementSignature, TimeOff
from tests import factories

pytestmark = pytest.mark.django_db

SATURDAY_NOON_UTC = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def saturday(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: SATURDAY_NOON_UTC)
    return SATURDAY_NOON_UTC


@pytest.fixture
def rivera_and_ana():
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera", time_zone="America/Los_Angeles",
                                 licensed=(("US", ""), ("ES", "")))
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana", time_zone="Europe/Madrid", country="ES",
                           region="")
    return rivera, ana


def signed_agreement(client_, **fields):
    agreement = factories.agreement(client_, **fields)
    AgreementSignature.objects.create(agreement=agreement, signed_by=client_.user,
                                      version=agreement.version, signed_at=timezone.now())
    return agreement


def home(client, user):
    factories.verified_login(client, user)
    response = client.get(reverse("client_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_says_when_a_message_sent_now_will_be_read_in_the_clients_time(
        client, saturday, rivera_and_ana):
    _rivera, ana = rivera_and_ana
    signed_agreement(ana)
    page = home(client, ana.user)
    assert "Your therapist is Dr. Rivera." in page
    assert ("Dr. Rivera reads messages on weekdays 9:00-17:00 Pacific time "
            "(that is 18:00-2:00 your time).") in page
    # Monday 9:00 in Los Angeles is 17:00 UTC, 18:00 in Madrid.
    assert ("A message sent now will wait until Dr. Rivera is next reading messages: "
            "Monday 30 November at 18:00 your time.") in page


def test_it_says_the_clinician_is_reading_now_inside_their_hours(
        client, monkeypatch, rivera_and_ana):
    monday_in_hours = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles
    monkeypatch.setattr(timezone, "now", lambda: monday_in_hours)
    _rivera, ana = rivera_and_ana
    signed_agreement(ana)
    page = home(client, ana.user)
    assert "Dr. Rivera is in their reading hours right now." in page


def test_it_tells_the_client_the_clinician_is_away_during_time_off(
        client, saturday, rivera_and_ana):
    rivera, ana = rivera_and_ana
    signed_agreement(ana)
    TimeOff.objects.create(clinician=rivera, starts_at=datetime(2026, 11, 27, tzinfo=UTC),
                           ends_at=datetime(2026, 12, 5, 12, tzinfo=UTC))
    page = home(client, ana.user)
    assert "Dr. Rivera is away right now." in page
    # Back on Monday 7 December, 9:00 in Los Angeles.
    assert "Monday 7 December at 18:00 your time." in page


def test_it_lists_what_is_open_now_for_a_signed_agreement(client, saturday, rivera_and_ana):
    _rivera, ana = rivera_and_ana
    signed_agreement(ana, checkins_open=False)
    page = home(client, ana.user)
    assert "What is open for you now" in page
    assert "Self-help tools:</strong>\n      <span class=\"badge ok\">Open now" in page
    assert "Closed now. Opens Monday 30 November at 18:00 your time." in page
    assert "Not part of your agreement" in page  # check-ins
    assert "Use the crisis lines" in page  # the default route is crisis resources only


def test_it_asks_the_client_to_sign_when_the_agreement_is_waiting(client, rivera_and_ana):
    _rivera, ana = rivera_and_ana
    factories.agreement(ana)
    page = home(client, ana.user)
    assert "Please read and sign your agreement." in page
    assert f'href="{reverse("client_agreement")}">Read and sign your agreement' in page
    assert "What is open for you now" not in page
    assert "When will my message be read?" not in page
    assert not AgreementSignature.objects.exists()


def test_it_tells_the_client_when_there_is_no_agreement_yet(client, rivera_and_ana):
    _rivera, ana = rivera_and_ana
    page = home(client, ana.user)
    assert "Dr. Rivera has not shared an agreement with you yet." in page
    assert "Read and sign your agreement" not in page


def test_it_shows_the_signature_and_always_links_to_crisis_help(client, saturday,
                                                               rivera_and_ana):
    _rivera, ana = rivera_and_ana
    signed_agreement(ana)
    page = home(client, ana.user)
    assert "You signed this agreement on 28 November 2026 at 13:00." in page
    assert f'href="{reverse("client_crisis")}">Get crisis help now' in page


def test_it_leaves_out_reading_times_when_messages_are_not_part_of_the_agreement(
        client, saturday, rivera_and_ana):
    _rivera, ana = rivera_and_ana
    signed_agreement(ana, inbox_open=False, inbox_promise="")
    page = home(client, ana.user)
    assert "When will my message be read?" not in page
    assert "Messages:</strong>\n      <span class=\"badge wait\">Not part of your agreement" \
        in page


def test_it_shows_each_client_only_their_own_home(client, saturday):
    w = factories.world()
    signed_agreement(w.other_client)
    factories.agreement(w.client)
    page = home(client, w.client.user)
    assert w.client.clinician.display_name in page
    assert w.other_client.clinician.display_name not in page
    assert "Please read and sign your agreement." in page
    for user in (w.clinician.user, w.admin, w.foreign_admin):
        factories.verified_login(client, user)
        assert client.get(reverse("client_home")).status_code == 404
