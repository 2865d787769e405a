"""A clinician's office hours and time off, and the practice's defaults, through the API."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from interlude.agreements.models import OfficeHours, PracticeDefaults, TimeOff
from interlude.audit.models import AuditEvent

from .api_support import counts, fast_passwords, field_errors, session_api  # noqa: F401
from .factories import weekday_hours, world

pytestmark = pytest.mark.django_db


def hours_of(clinician):
    return list(OfficeHours.objects.filter(clinician=clinician)
                .values_list("weekday", "start", "end"))


def test_it_shows_my_office_hours_in_my_own_zone():
    w = world()
    weekday_hours(w.clinician, days=[0, 2])
    body = session_api(w.clinician.user).get("/me/office-hours").json()
    assert body == {"time_zone": "America/Los_Angeles", "windows": [
        {"weekday": 0, "start": "09:00", "end": "17:00"},
        {"weekday": 2, "start": "09:00", "end": "17:00"}]}


def test_it_replaces_my_office_hours():
    w = world()
    weekday_hours(w.clinician)
    weekday_hours(w.other_clinician)
    response = session_api(w.clinician.user).put("/me/office-hours", {"windows": [
        {"weekday": 1, "start": "08:30", "end": "12:00"},
        {"weekday": 1, "start": "13:00", "end": "16:00"}]})
    assert response.status_code == 200
    assert len(response.json()["windows"]) == 2
    assert hours_of(w.clinician) == [(1, time(8, 30), time(12)), (1, time(13), time(16))]
    assert len(hours_of(w.other_clinician)) == 5
    assert AuditEvent.objects.filter(action="update", object_type="OfficeHours",
                                     object_id=str(w.clinician.pk)).exists()


def test_it_refuses_overlapping_hours_and_keeps_the_old_ones():
    w = world()
    weekday_hours(w.clinician)
    before = counts()
    response = session_api(w.clinician.user).put("/me/office-hours", {"windows": [
        {"weekday": 1, "start": "08:00", "end": "12:00"},
        {"weekday": 1, "start": "11:00", "end": "16:00"}]})
    assert field_errors(response)["windows"] == [
        "Office hours on the same day must not overlap."]
    assert counts() == before
    assert len(hours_of(w.clinician)) == 5


@pytest.mark.parametrize("window", [
    {"weekday": 1, "start": "17:00", "end": "09:00"},
    {"weekday": 7, "start": "09:00", "end": "10:00"},
    {"weekday": 1, "start": "9am", "end": "10:00"},
    {"weekday": 1, "start": "24:00", "end": "10:00"},
])
def test_it_refuses_a_bad_window(window):
    w = world()
    weekday_hours(w.clinician)
    before = counts()
    response = session_api(w.clinician.user).put("/me/office-hours", {"windows": [window]})
    assert any(key.startswith("windows.0") for key in field_errors(response))
    assert counts() == before


def test_it_adds_lists_and_removes_time_off():
    w = world()
    api = session_api(w.clinician.user)
    response = api.post("/me/time-off", {"starts_at": "2030-07-01T00:00:00-07:00",
                                         "ends_at": "2030-07-15T00:00:00-07:00",
                                         "kind": "vacation", "label": "Summer"})
    assert response.status_code == 201, response.json()
    row = TimeOff.objects.get(clinician=w.clinician)
    assert row.starts_at == datetime(2030, 7, 1, 7, tzinfo=UTC)
    assert (row.kind, row.label) == ("vacation", "Summer")
    assert [t["id"] for t in api.get("/me/time-off").json()] == [row.pk]
    assert api.delete(f"/me/time-off/{row.pk}").status_code == 204
    assert not TimeOff.objects.filter(pk=row.pk).exists()
    actions = list(AuditEvent.objects.filter(object_type="TimeOff").values_list("action",
                                                                                  flat=True))
    assert sorted(actions) == ["create", "delete"]


def test_it_lists_only_time_off_that_has_not_ended_unless_asked():
    w = world()
    now = timezone.now()
    past = TimeOff.objects.create(clinician=w.clinician, starts_at=now - timedelta(days=9),
                                  ends_at=now - timedelta(days=2))
    coming = TimeOff.objects.create(clinician=w.clinician, starts_at=now + timedelta(days=2),
                                    ends_at=now + timedelta(days=9))
    api = session_api(w.clinician.user)
    assert [t["id"] for t in api.get("/me/time-off").json()] == [coming.pk]
    assert [t["id"] for t in api.get("/me/time-off?include_past=true").json()] == [
        past.pk, coming.pk]


def test_it_refuses_time_off_that_ends_before_it_starts():
    w = world()
    before = counts()
    response = session_api(w.clinician.user).post("/me/time-off", {
        "starts_at": "2030-07-15T00:00:00Z", "ends_at": "2030-07-01T00:00:00Z"})
    assert field_errors(response)
    assert counts() == before


def test_it_refuses_time_off_without_an_offset():
    w = world()
    before = counts()
    response = session_api(w.clinician.user).post("/me/time-off", {
        "starts_at": "2030-07-01T00:00:00", "ends_at": "2030-07-15T00:00:00Z"})
    assert "starts_at" in field_errors(response)
    assert counts() == before


def test_it_refuses_to_remove_another_clinicians_time_off():
    w = world()
    now = timezone.now()
    theirs = TimeOff.objects.create(clinician=w.other_clinician, starts_at=now,
                                    ends_at=now + timedelta(days=1))
    foreign = TimeOff.objects.create(clinician=w.foreign_clinician, starts_at=now,
                                     ends_at=now + timedelta(days=1))
    api = session_api(w.clinician.user)
    before = counts()
    assert api.delete(f"/me/time-off/{theirs.pk}").status_code == 404
    assert api.delete(f"/me/time-off/{foreign.pk}").status_code == 404
    assert session_api(w.admin).delete(f"/me/time-off/{theirs.pk}").status_code == 403
    assert counts() == before
    assert [t["id"] for t in api.get("/me/time-off").json()] == []


DEFAULTS = {"inbox_promise": "I read messages on Tuesdays and Thursdays.",
            "inbox_response_business_days": 2, "checkin_weekly_cap": 1, "checkin_minutes": 15,
            "crisis_route": "on_call"}


def test_an_admin_reads_and_changes_the_practice_defaults():
    w = world()
    api = session_api(w.admin)
    first = api.get("/practice/defaults")
    assert first.status_code == 200
    assert first.json()["crisis_route"] == "resources"
    response = api.put("/practice/defaults", DEFAULTS)
    assert response.status_code == 200
    assert response.json() == DEFAULTS
    row = PracticeDefaults.objects.get(practice=w.practice)
    assert (row.inbox_promise, row.checkin_minutes, row.crisis_route) == (
        DEFAULTS["inbox_promise"], 15, "on_call")
    assert not PracticeDefaults.objects.filter(practice=w.other_practice).exists()
    assert AuditEvent.objects.filter(action="update", object_type="PracticeDefaults",
                                     practice=w.practice).exists()


def test_the_other_practices_admin_changes_only_their_own_practice():
    w = world()
    response = session_api(w.foreign_admin).put("/practice/defaults", DEFAULTS)
    assert response.status_code == 200
    assert PracticeDefaults.objects.get(practice=w.other_practice).crisis_route == "on_call"
    assert not PracticeDefaults.objects.filter(practice=w.practice).exists()


def test_it_refuses_bad_practice_defaults_and_keeps_the_old_ones():
    w = world()
    api = session_api(w.admin)
    api.put("/practice/defaults", DEFAULTS)
    before = counts()
    response = api.put("/practice/defaults", DEFAULTS | {"checkin_minutes": 90,
                                                         "crisis_route": "carrier_pigeon"})
    assert {"checkin_minutes", "crisis_route"} <= set(field_errors(response))
    assert counts() == before
    assert PracticeDefaults.objects.get(practice=w.practice).checkin_minutes == 15
