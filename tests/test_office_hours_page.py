"""A clinician edits their weekly office hours, in their own time zone; bad hours are refused
with a clear message and change nothing."""

from datetime import time

import pytest

from interlude.agreements.models import OfficeHours
from interlude.audit.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def hours(clinician):
    return list(OfficeHours.objects.filter(clinician=clinician)
                .values_list("weekday", "start", "end"))


def post_hours(django_client, **fields):
    return django_client.post("/hours/", {"form": "hours", **fields})


def test_it_shows_the_clinicians_hours_in_their_time_zone(client):
    w = f.world()
    f.weekday_hours(w.clinician, start=time(9), end=time(17), days=[0])
    f.verified_login(client, w.clinician.user)

    response = client.get("/hours/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "America/Los_Angeles" in content
    assert 'name="d0_0_start" value="09:00"' in content
    assert 'name="d0_0_end" value="17:00"' in content


def test_it_saves_two_windows_a_day_and_audits_the_change(client):
    w = f.world()
    f.weekday_hours(w.clinician, days=[0, 1])
    f.verified_login(client, w.clinician.user)

    response = post_hours(client, d0_0_start="08:00", d0_0_end="12:00",
                          d0_1_start="13:00", d0_1_end="16:30", d4_0_start="10:00",
                          d4_0_end="14:00")

    assert response.status_code == 302
    assert hours(w.clinician) == [(0, time(8), time(12)), (0, time(13), time(16, 30)),
                                  (4, time(10), time(14))]
    event = AuditEvent.objects.get(action="update", object_type="OfficeHours")
    assert event.actor == w.clinician.user
    assert event.object_id == str(w.clinician.pk)


def test_it_refuses_a_window_that_ends_before_it_starts(client):
    w = f.world()
    f.weekday_hours(w.clinician, days=[0])
    before = hours(w.clinician)
    f.verified_login(client, w.clinician.user)

    response = post_hours(client, d0_0_start="09:00", d0_0_end="17:00",
                          d2_0_start="15:00", d2_0_end="11:00")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was saved" in content
    assert "Wednesday: the window must end after it starts (15:00), on the same day." in content
    # The input stays as typed.
    assert 'name="d2_0_start" value="15:00"' in content
    assert 'name="d2_0_end" value="11:00"' in content
    assert 'aria-invalid="true" aria-describedby="id_d2_0_end_error"' in content
    assert hours(w.clinician) == before
    assert not AuditEvent.objects.filter(object_type="OfficeHours").exists()


def test_it_refuses_overlapping_windows(client):
    w = f.world()
    f.weekday_hours(w.clinician, days=[0])
    before = hours(w.clinician)
    f.verified_login(client, w.clinician.user)

    response = post_hours(client, d1_0_start="09:00", d1_0_end="13:00",
                          d1_1_start="12:00", d1_1_end="17:00")

    assert response.status_code == 200
    assert "Tuesday: the two windows overlap." in response.content.decode()
    assert hours(w.clinician) == before


def test_it_refuses_a_window_with_only_one_end(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)

    response = post_hours(client, d3_0_start="09:00")

    assert response.status_code == 200
    assert "Thursday: add the time this window ends." in response.content.decode()
    assert hours(w.clinician) == []


def test_it_starts_a_clinician_without_hours_from_the_practices_defaults(client):
    from interlude.agreements.models import PracticeHours

    w = f.world()
    PracticeHours.objects.create(practice=w.practice, weekday=2, start=time(10), end=time(15))
    f.verified_login(client, w.clinician.user)

    response = client.get("/hours/")

    assert 'name="d2_0_start" value="10:00"' in response.content.decode()
    assert "practice's default hours" in response.content.decode()
    assert hours(w.clinician) == []  # nothing is written until the clinician saves


@pytest.mark.parametrize("who", ["admin", "client", "foreign_admin"])
def test_it_refuses_everyone_but_a_clinician(client, who):
    w = f.world()
    f.weekday_hours(w.clinician)
    user = getattr(w, who)
    user = getattr(user, "user", user)
    if user.is_practice_staff:
        f.verified_login(client, user)
    else:
        client.force_login(user)

    page = client.get("/hours/")
    post = post_hours(client, d0_0_start="01:00", d0_0_end="02:00")

    assert page.status_code == 404
    assert post.status_code == 404
    assert OfficeHours.objects.filter(start=time(1)).count() == 0


def test_it_changes_only_the_clinicians_own_hours(client):
    w = f.world()
    f.weekday_hours(w.other_clinician, days=[0])
    f.weekday_hours(w.foreign_clinician, days=[0])
    others = (hours(w.other_clinician), hours(w.foreign_clinician))
    f.verified_login(client, w.clinician.user)

    post_hours(client, d5_0_start="10:00", d5_0_end="12:00")

    assert hours(w.clinician) == [(5, time(10), time(12))]
    assert (hours(w.other_clinician), hours(w.foreign_clinician)) == others
