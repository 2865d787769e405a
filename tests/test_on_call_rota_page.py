"""/on-call/: practice admins add and remove shifts (audited, in the practice's time zone);
clinicians see the rota read-only; nobody else sees it at all."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from interlude.audit.models import AuditEvent
from interlude.crisis.models import OnCallShift
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = f.world()
    world.practice.time_zone = "Europe/London"
    world.practice.save()
    for clinician in (world.clinician, world.other_clinician):
        clinician.on_call_eligible = True
        clinician.save()
    world.admin.refresh_from_db()
    return world


def tomorrow_local(zone, hour):
    day = timezone.now().astimezone(ZoneInfo(zone)).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(zone))


def form(clinician, starts, ends, position=1):
    return {"clinician": clinician.pk, "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": ends.strftime("%Y-%m-%dT%H:%M"), "position": position}


def test_an_admin_adds_a_shift_in_the_practices_time_zone_and_it_is_audited(client, w):
    f.verified_login(client, w.admin)
    starts, ends = tomorrow_local("Europe/London", 18), tomorrow_local("Europe/London", 23)
    response = client.post("/on-call/", form(w.clinician, starts, ends, 2))
    assert response.status_code == 302
    shift = OnCallShift.objects.get()
    assert (shift.practice, shift.clinician, shift.position, shift.created_by) == (
        w.practice, w.clinician, 2, w.admin)
    assert (shift.starts_at, shift.ends_at) == (starts, ends)
    event = AuditEvent.objects.get(object_type="OnCallShift", action="create")
    assert (event.actor, event.object_id, event.practice_id) == (
        w.admin, str(shift.pk), w.practice.pk)
    assert event.detail["clinician"] == w.clinician.pk and event.detail["position"] == 2
    listed = client.get("/on-call/")
    assert [row["pk"] for row in listed.context["upcoming"]] == [shift.pk]
    assert w.clinician.display_name in listed.content.decode()


def test_an_admin_removes_a_shift_and_it_is_audited(client, w):
    now = timezone.now()
    shift = OnCallShift.objects.create(practice=w.practice, clinician=w.clinician,
                                       starts_at=now, ends_at=now + timedelta(hours=4))
    f.verified_login(client, w.admin)
    assert client.post(f"/on-call/{shift.pk}/remove/").status_code == 302
    assert not OnCallShift.objects.exists()
    event = AuditEvent.objects.get(object_type="OnCallShift", action="delete")
    assert (event.actor, event.object_id) == (w.admin, str(shift.pk))


def test_a_clinician_sees_who_is_on_call_now_and_next_but_cannot_change_it(client, w):
    now = timezone.now()
    current = OnCallShift.objects.create(practice=w.practice, clinician=w.other_clinician,
                                         starts_at=now - timedelta(hours=1),
                                         ends_at=now + timedelta(hours=3))
    later = OnCallShift.objects.create(practice=w.practice, clinician=w.clinician, position=2,
                                       starts_at=now + timedelta(days=13),
                                       ends_at=now + timedelta(days=13, hours=8))
    OnCallShift.objects.create(practice=w.practice, clinician=w.clinician,
                               starts_at=now + timedelta(days=15),
                               ends_at=now + timedelta(days=16))
    f.verified_login(client, w.clinician.user)
    response = client.get("/on-call/")
    assert response.status_code == 200
    assert [row["pk"] for row in response.context["now"]] == [current.pk]
    assert [row["pk"] for row in response.context["upcoming"]] == [current.pk, later.pk]
    page = response.content.decode()
    assert "Add a shift" not in page and "Remove the shift" not in page
    assert client.post("/on-call/", form(w.clinician, now + timedelta(hours=1),
                                         now + timedelta(hours=2))).status_code == 404
    assert client.post(f"/on-call/{current.pk}/remove/").status_code == 404
    assert OnCallShift.objects.count() == 3
    assert not AuditEvent.objects.filter(object_type="OnCallShift").exists()


def test_another_practices_admin_cannot_see_or_remove_the_shifts(client, w):
    now = timezone.now()
    shift = OnCallShift.objects.create(practice=w.practice, clinician=w.clinician,
                                       starts_at=now, ends_at=now + timedelta(hours=4))
    f.verified_login(client, w.foreign_admin)
    assert client.get("/on-call/").context["upcoming"] == []
    assert client.post(f"/on-call/{shift.pk}/remove/").status_code == 404
    assert OnCallShift.objects.filter(pk=shift.pk).exists()


@pytest.mark.parametrize("who", ["client", "foreign_client"])
def test_clients_are_told_the_page_does_not_exist(client, w, who):
    f.verified_login(client, getattr(w, who).user)
    assert client.get("/on-call/").status_code == 404


def test_the_rota_marks_a_shift_whose_clinician_lost_the_role_as_skipped(client, w):
    now = timezone.now()
    OnCallShift.objects.create(practice=w.practice, clinician=w.clinician,
                               starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3))
    w.clinician.on_call_eligible = False
    w.clinician.save()
    f.verified_login(client, w.admin)
    response = client.get("/on-call/")
    assert response.context["now"] == []
    assert [row["skipped"] for row in response.context["upcoming"]] == [True]
    assert "skipped" in response.content.decode()


def test_the_form_offers_only_the_practices_active_eligible_clinicians(client, w):
    w.other_clinician.user.is_active = False
    w.other_clinician.user.save()
    f.clinician(w.practice, on_call_eligible=False)
    f.clinician(w.other_practice, on_call_eligible=True)
    f.verified_login(client, w.admin)
    choices = client.get("/on-call/").context["form"].fields["clinician"].queryset
    assert list(choices) == [w.clinician]
