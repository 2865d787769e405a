"""The rota page warns plainly when nobody is on call now, or in a stretch of the next 7 days,
in practices where a client's current agreement routes crisis contact to the rota."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from interlude.agreements.models import AgreementSignature
from interlude.crisis import rota
from interlude.crisis.models import OnCallShift
from tests import factories as f

pytestmark = pytest.mark.django_db

START = datetime(2026, 6, 1, 9, tzinfo=ZoneInfo("UTC"))
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@pytest.fixture
def w():
    world = f.world()
    for clinician in (world.clinician, world.other_clinician):
        clinician.on_call_eligible = True
        clinician.save()
    return world


def on_call(w, starts, ends, clinician=None, position=1):
    return OnCallShift.objects.create(practice=w.practice, clinician=clinician or w.clinician,
                                      starts_at=starts, ends_at=ends, position=position)


def route_to_rota(client, version=1, route="on_call"):
    agreement = f.agreement(client, version=version, crisis_route=route)
    AgreementSignature.objects.create(agreement=agreement, signed_by=client.user,
                                      version=version)


def test_gaps_are_the_stretches_no_answering_shift_covers(w):
    on_call(w, START - HOUR, START + 2 * HOUR)
    on_call(w, START + HOUR, START + 5 * HOUR, w.other_clinician, 2)  # overlapping backup
    on_call(w, START + 8 * HOUR, START + 10 * HOUR)
    assert rota.gaps(w.practice, START, START + DAY) == [
        (START + 5 * HOUR, START + 8 * HOUR), (START + 10 * HOUR, START + DAY)]


def test_a_shift_of_a_clinician_who_lost_the_role_leaves_a_gap(w):
    on_call(w, START, START + DAY, w.other_clinician)
    w.other_clinician.on_call_eligible = False
    w.other_clinician.save()
    assert rota.gaps(w.practice, START, START + DAY) == [(START, START + DAY)]


def test_back_to_back_shifts_leave_no_gap(w):
    on_call(w, START, START + 12 * HOUR)
    on_call(w, START + 12 * HOUR, START + DAY, w.other_clinician)
    assert rota.gaps(w.practice, START, START + DAY) == []


def test_the_page_warns_when_nobody_is_on_call_now(client, w):
    route_to_rota(w.client)
    now = timezone.now()
    on_call(w, now + 2 * HOUR, now + 8 * DAY)
    f.verified_login(client, w.admin)
    response = client.get("/on-call/")
    assert response.context["nobody_now"] is True
    assert len(response.context["gaps"]) == 1
    page = response.content.decode()
    assert "Nobody is on call now." in page
    assert 'role="alert"' in page


def test_the_page_lists_a_gap_in_the_coming_week(client, w):
    route_to_rota(w.client)
    now = timezone.now()
    on_call(w, now - HOUR, now + 2 * DAY)
    on_call(w, now + 3 * DAY, now + 9 * DAY)
    f.verified_login(client, w.clinician.user)
    response = client.get("/on-call/")
    assert response.context["nobody_now"] is False
    assert len(response.context["gaps"]) == 1
    assert "Nobody is on call in these stretches" in response.content.decode()


def test_a_rota_covering_the_week_gives_no_warning(client, w):
    route_to_rota(w.client)
    now = timezone.now()
    on_call(w, now - HOUR, now + 8 * DAY)
    f.verified_login(client, w.admin)
    response = client.get("/on-call/")
    assert response.context["gaps"] == []
    assert 'role="alert"' not in response.content.decode()


def test_no_warning_where_no_current_agreement_routes_to_the_rota(client, w):
    route_to_rota(w.client, version=1)
    route_to_rota(w.client, version=2, route="resources")  # the newer version routes elsewhere
    route_to_rota(w.foreign_client)  # another practice's client does not count
    f.verified_login(client, w.admin)
    response = client.get("/on-call/")
    assert response.context["needed"] is False
    assert 'role="alert"' not in response.content.decode()
    assert "No client's current agreement routes" in response.content.decode()
