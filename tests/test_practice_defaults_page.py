"""A practice admin sets what new agreements and new clinicians start from; nobody else can."""

from datetime import time

import pytest

from interlude.agreements.models import PracticeDefaults, PracticeHours
from interlude.agreements.services import initial_fields
from interlude.audit.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def valid_data(**changes):
    data = {
        "defaults-inbox_promise": "We read messages within 2 business days.",
        "defaults-inbox_response_business_days": "2",
        "defaults-checkin_weekly_cap": "2",
        "defaults-checkin_minutes": "15",
        "defaults-crisis_route": "on_call",
        "hours-d0_0_start": "09:00", "hours-d0_0_end": "17:00",
        "hours-d2_0_start": "09:00", "hours-d2_0_end": "12:00",
        "hours-d2_1_start": "13:00", "hours-d2_1_end": "18:00",
    }
    data.update(changes)
    return data


def test_it_saves_the_defaults_and_hours_and_audits_them(client):
    w = f.world()
    f.verified_login(client, w.admin)

    response = client.post("/practice/defaults/", valid_data())

    assert response.status_code == 302
    defaults = PracticeDefaults.objects.get(practice=w.practice)
    assert defaults.inbox_promise == "We read messages within 2 business days."
    assert (defaults.inbox_response_business_days, defaults.checkin_weekly_cap,
            defaults.checkin_minutes, defaults.crisis_route) == (2, 2, 15, "on_call")
    assert list(PracticeHours.objects.filter(practice=w.practice)
                .values_list("weekday", "start", "end")) == [
        (0, time(9), time(17)), (2, time(9), time(12)), (2, time(13), time(18))]
    audited = set(AuditEvent.objects.filter(actor=w.admin, action="update")
                  .values_list("object_type", flat=True))
    assert audited == {"PracticeDefaults", "PracticeHours"}
    # The general preset now starts from these defaults.
    assert initial_fields(w.client, "general")["checkin_minutes"] == 15


def test_it_shows_the_saved_defaults(client):
    w = f.world()
    PracticeDefaults.objects.create(practice=w.practice, inbox_promise="Read on Tuesdays.",
                                    checkin_weekly_cap=3)
    f.verified_login(client, w.admin)

    response = client.get("/practice/defaults/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Read on Tuesdays." in content
    assert 'name="defaults-checkin_weekly_cap" value="3"' in content


def test_it_refuses_bad_hours_and_changes_nothing(client):
    w = f.world()
    PracticeHours.objects.create(practice=w.practice, weekday=1, start=time(8), end=time(9))
    f.verified_login(client, w.admin)

    response = client.post("/practice/defaults/", valid_data(**{
        "hours-d2_1_start": "11:00", "defaults-checkin_minutes": "12"}))

    assert response.status_code == 200
    assert "Wednesday: the two windows overlap." in response.content.decode()
    assert list(PracticeHours.objects.values_list("weekday", flat=True)) == [1]
    assert not PracticeDefaults.objects.filter(checkin_minutes=12).exists()
    assert not AuditEvent.objects.filter(action="update").exists()


@pytest.mark.parametrize("who", ["clinician", "client"])
def test_it_refuses_clinicians_and_clients(client, who):
    w = f.world()
    user = getattr(w, who).user
    if user.is_practice_staff:
        f.verified_login(client, user)
    else:
        client.force_login(user)

    page = client.get("/practice/defaults/")
    post = client.post("/practice/defaults/", valid_data())

    assert page.status_code == 404
    assert post.status_code == 404
    assert not PracticeHours.objects.exists()
    assert not PracticeDefaults.objects.filter(checkin_minutes=15).exists()


def test_another_practices_admin_changes_only_their_own_practice(client):
    w = f.world()
    f.verified_login(client, w.foreign_admin)

    response = client.post("/practice/defaults/", valid_data())

    assert response.status_code == 302
    assert PracticeDefaults.objects.get(practice=w.other_practice).checkin_minutes == 15
    assert not PracticeDefaults.objects.filter(practice=w.practice).exists()
    assert not PracticeHours.objects.filter(practice=w.practice).exists()
