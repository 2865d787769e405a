"""A client's page (reached from the client list) says what is open now and when the clinician
will next see an inbox message, in the clinician's time zone and the client's."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from interlude.agreements import availability
from interlude.agreements.models import AgreementSignature, TimeOff
from tests import factories as f

pytestmark = pytest.mark.django_db


def signed(client_, **fields):
    agreement = f.agreement(client_, version=1, **fields)
    AgreementSignature.objects.create(agreement=agreement, signed_by=client_.user, version=1)
    return agreement


def rows_by_channel(response):
    return {str(row["channel"]): row for row in response.context["availability"]}


def test_it_shows_when_an_inbox_message_will_be_seen_in_both_zones(client):
    w = f.world()  # clinician in America/Los_Angeles, client in America/New_York
    f.weekday_hours(w.clinician)  # 09:00-17:00 Monday to Friday
    signed(w.client, inbox_open=True)
    # Away until midnight before a Monday about a month ahead, in Los Angeles.
    la = ZoneInfo("America/Los_Angeles")
    back = timezone.now().astimezone(la).date() + timedelta(days=30)
    back += timedelta(days=-back.weekday() % 7)
    TimeOff.objects.create(clinician=w.clinician, starts_at=timezone.now() - timedelta(days=1),
                           ends_at=datetime.combine(back, time(0), tzinfo=la))
    f.verified_login(client, w.clinician.user)

    response = client.get(f"/clients/{w.client.pk}/")

    assert response.status_code == 200
    inbox = rows_by_channel(response)["Inbox"]
    assert inbox["allowed"] is False
    day = f"Mon {back.day} {back:%b} {back.year}"
    assert inbox["next_clinician"] == f"{day}, 09:00"
    assert inbox["next_client"] == f"{day}, 12:00"
    content = response.content.decode()
    assert f"{day}, 09:00" in content and f"{day}, 12:00" in content
    assert "time off" in inbox["detail"]


def test_it_shows_every_channel_closed_until_the_client_signs(client):
    w = f.world()
    f.weekday_hours(w.clinician)
    f.agreement(w.client, version=1, inbox_open=True)
    f.verified_login(client, w.clinician.user)

    response = client.get(f"/clients/{w.client.pk}/")

    rows = rows_by_channel(response)
    assert set(rows) == {"Self-help tools", "Automated messages", "Inbox", "Check-ins",
                         "Crisis route"}
    assert not any(row["allowed"] for row in rows.values())
    assert "Awaiting signature" in response.content.decode()


def test_it_lists_every_version_with_its_signature(client):
    w = f.world()
    signed(w.client)
    f.agreement(w.client, version=2)
    f.verified_login(client, w.clinician.user)

    response = client.get(f"/clients/{w.client.pk}/")

    versions = response.context["versions"]
    assert [row["version"] for row in versions] == [2, 1]
    assert versions[0]["signed"] == ""
    assert versions[1]["signed_by"] == w.client.user.full_name
    assert response.context["current"].version == 2


@pytest.mark.parametrize("route", ["resources", "clinician", "on_call"])
@pytest.mark.parametrize("is_signed", [True, False])
def test_it_answers_as_the_availability_engine_does_for_every_channel(client, route,
                                                                       is_signed):
    w = f.world()
    f.weekday_hours(w.clinician, days=range(7))
    hours = [[0, "00:00", "00:01"]] if route == "clinician" else []
    fields = {"inbox_open": True, "checkins_open": True, "checkin_weekly_cap": 1,
              "crisis_route": route, "crisis_hours": hours}
    (signed if is_signed else f.agreement)(w.client, **fields)
    f.verified_login(client, w.clinician.user)

    response = client.get(f"/clients/{w.client.pk}/")

    for channel, row in zip(availability.CHANNELS, response.context["availability"],
                            strict=True):
        expected = availability.check(w.client, channel)
        assert (row["allowed"], row["reason"]) == (expected.allowed, expected.reason), channel
