"""A shift must end after it starts, be for an active, on-call eligible clinician of the same
practice, not be over already, not overlap the same clinician's shift, and have a position from
1; a refused shift answers with a clear message and leaves nothing behind."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from interlude.audit.models import AuditEvent
from interlude.crisis import rota
from interlude.crisis.models import OnCallShift
from tests import factories as f

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


@pytest.fixture
def w():
    world = f.world()
    world.clinician.on_call_eligible = True
    world.clinician.save()
    world.foreign_clinician.on_call_eligible = True
    world.foreign_clinician.save()
    return world


def post(client, w, clinician, starts, ends, position=1):
    f.verified_login(client, w.admin)

    def local(at):
        zone = ZoneInfo(w.practice.time_zone)
        return at.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if at else ""

    return client.post("/on-call/", {"clinician": clinician.pk if clinician else "",
                                     "position": position, "starts_at": local(starts),
                                     "ends_at": local(ends)})


def refused(response, field, words):
    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors.get(field, []))
    assert b"Nothing was saved" in response.content
    assert not OnCallShift.objects.exists()
    assert not AuditEvent.objects.filter(object_type="OnCallShift").exists()


def soon():
    return timezone.now().replace(second=0, microsecond=0) + HOUR


def test_it_refuses_a_shift_that_ends_before_it_starts(client, w):
    refused(post(client, w, w.clinician, soon() + HOUR, soon()), "ends_at",
            "must end after it starts")


def test_it_refuses_a_clinician_who_is_not_on_call_eligible(client, w):
    refused(post(client, w, w.other_clinician, soon(), soon() + HOUR), "clinician",
            "on-call eligible")


def test_it_refuses_another_practices_clinician(client, w):
    refused(post(client, w, w.foreign_clinician, soon(), soon() + HOUR), "clinician",
            "on-call eligible")


def test_it_refuses_missing_fields_with_a_message_for_each(client, w):
    response = post(client, w, None, None, None, position="")
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"clinician", "starts_at", "ends_at",
                                                    "position"}
    assert not OnCallShift.objects.exists()


@pytest.mark.parametrize("position", [0, 10, -1])
def test_it_refuses_a_position_outside_one_to_nine(client, w, position):
    response = post(client, w, w.clinician, soon(), soon() + HOUR, position=position)
    assert response.status_code == 400 and "position" in response.context["form"].errors
    assert not OnCallShift.objects.exists()


def test_it_refuses_a_shift_that_is_over_already(client, w):
    refused(post(client, w, w.clinician, soon() - 5 * HOUR, soon() - 3 * HOUR), "ends_at",
            "over already")


def test_it_refuses_a_shift_longer_than_a_month(client, w):
    refused(post(client, w, w.clinician, soon(), soon() + timedelta(days=32)), "ends_at",
            "at most 31 days")


def test_it_refuses_a_shift_overlapping_the_same_clinicians_shift(client, w):
    existing = OnCallShift.objects.create(practice=w.practice, clinician=w.clinician,
                                          starts_at=soon(), ends_at=soon() + 4 * HOUR)
    response = post(client, w, w.clinician, soon() + HOUR, soon() + 6 * HOUR)
    assert response.status_code == 400
    assert "already on call" in " ".join(response.context["form"].errors["starts_at"])
    assert list(OnCallShift.objects.all()) == [existing]


def test_it_accepts_back_to_back_shifts_and_shifts_of_two_clinicians_at_once(w):
    second = f.clinician(w.practice, on_call_eligible=True)
    now = timezone.now()
    rota.add_shift(w.admin, w.practice, w.clinician, soon(), soon() + HOUR, now=now)
    rota.add_shift(w.admin, w.practice, w.clinician, soon() + HOUR, soon() + 2 * HOUR, now=now)
    rota.add_shift(w.admin, w.practice, second, soon(), soon() + 2 * HOUR, 2, now=now)
    assert OnCallShift.objects.count() == 3


def test_the_rules_refuse_anyone_but_the_practices_admin(w):
    now = timezone.now()
    for actor in (w.clinician.user, w.foreign_admin, w.client.user):
        with pytest.raises(Http404):
            rota.add_shift(actor, w.practice, w.clinician, soon(), soon() + HOUR, now=now)
    with pytest.raises(ValidationError) as refusal:
        rota.add_shift(w.admin, w.practice, w.clinician, soon(), soon(), now=now)
    assert "ends_at" in refusal.value.message_dict
    assert not OnCallShift.objects.exists()
