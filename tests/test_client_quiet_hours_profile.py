"""A client sets their quiet hours; their planned reminders move out of them."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from interlude.agreements.models import AgreementSignature
from interlude.outreach import appointments
from interlude.outreach.models import Delivery
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

PROFILE = {"time_zone": "America/New_York", "country": "US", "region": "NY",
           "preferred_language": "en", "phone": "", "preferred_channels": ["in_app"]}


def signed_client():
    w = f.world()
    agreement = f.agreement(w.client, automated_open=True)
    AgreementSignature.objects.create(agreement=agreement, signed_by=w.client.user, version=1)
    return w


def test_a_client_saves_quiet_hours_in_their_profile(client):
    w = signed_client()
    f.verified_login(client, w.client.user)

    response = client.post("/me/profile/", {**PROFILE, "quiet_start": "22:30",
                                            "quiet_end": "07:15"})

    assert response.status_code == 302
    w.client.refresh_from_db()
    assert (w.client.quiet_start, w.client.quiet_end) == (time(22, 30), time(7, 15))


def test_it_refuses_a_time_that_is_not_a_time_and_changes_nothing(client):
    w = signed_client()
    f.verified_login(client, w.client.user)

    response = client.post("/me/profile/", {**PROFILE, "quiet_start": "25:99",
                                            "quiet_end": "07:00"})

    assert response.status_code == 400
    assert "Enter a valid time" in response.content.decode()
    w.client.refresh_from_db()
    assert w.client.quiet_start == time(21, 0)


def test_widening_quiet_hours_moves_a_planned_reminder_out_of_them(client):
    w = signed_client()
    w.client.preferred_channels = ["in_app"]
    w.client.save()
    # An appointment at 11:00 New York time two days ahead; the 2-hour reminder is due at 9:00.
    local = timezone.now().astimezone(timezone.zoneinfo.ZoneInfo("America/New_York"))
    start = (local + timedelta(days=2)).replace(hour=11, minute=0, second=0, microsecond=0)
    appointments.create_appointment(w.clinician.user, w.client, start=start,
                                    end=start + timedelta(minutes=50), kind="video",
                                    location="")
    reminder = Delivery.objects.filter(kind="reminder", channel="in_app").order_by("due_at").last()
    assert reminder.due_at == start - timedelta(hours=2)
    f.verified_login(client, w.client.user)

    client.post("/me/profile/", {**PROFILE, "quiet_start": "21:00", "quiet_end": "10:00"})

    reminder.refresh_from_db()
    due_local = reminder.due_at.astimezone(start.tzinfo)
    assert reminder.state == Delivery.State.PENDING
    assert (due_local.hour, due_local.minute) == (10, 0)
