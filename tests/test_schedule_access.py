"""Only the client's own clinician changes their schedules; the practice's admins may read them;
everyone else (another clinician, another practice, the client) is told the pages do not
exist, and nothing changes."""

import pytest

from interlude.audit.models import AuditEvent
from interlude.outreach.models import Schedule
from tests import factories as f
from tests.test_schedule_page import WEEKLY
from tests.test_schedule_planner import calendar_schedule, signed

pytestmark = pytest.mark.django_db

READS = ["{list}", "{list}{pk}/edit/", "{list}{pk}/end/"]
WRITES = [("{list}", WEEKLY), ("{list}{pk}/edit/", WEEKLY), ("{list}{pk}/pause/", {}),
          ("{list}{pk}/resume/", {}), ("{list}{pk}/end/", {})]
OUTSIDERS = ["other_clinician", "foreign_clinician", "foreign_admin"]


def login(django_client, user):
    if user.is_practice_staff:
        return f.verified_login(django_client, user)
    django_client.force_login(user)
    return django_client


def setting(w):
    signed(w.client)
    schedule = calendar_schedule(w.client)
    return schedule, {"list": f"/clients/{w.client.pk}/schedules/", "pk": schedule.pk}


def snapshot():
    return list(Schedule.objects.order_by("pk").values_list("pk", "status", "version", "name"))


def person(w, who):
    found = getattr(w, who)
    return getattr(found, "user", found)


@pytest.mark.parametrize("page", READS)
@pytest.mark.parametrize("who", [*OUTSIDERS, "client"])
def test_it_refuses_to_show_the_pages_to_anyone_who_may_not_see_the_client(client, page, who):
    w = f.world()
    _schedule, where = setting(w)
    login(client, person(w, who))

    response = client.get(page.format(**where))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="view").exists()


@pytest.mark.parametrize("page, data", WRITES)
@pytest.mark.parametrize("who", [*OUTSIDERS, "client"])
def test_it_refuses_every_change_from_anyone_who_may_not_see_the_client(client, page, data,
                                                                       who):
    w = f.world()
    _schedule, where = setting(w)
    before = snapshot()
    login(client, person(w, who))

    response = client.post(page.format(**where), data)

    assert response.status_code == 404
    assert snapshot() == before


def test_it_shows_the_admin_the_schedules_without_a_form_and_audits_it(client):
    w = f.world()
    _schedule, where = setting(w)
    login(client, w.admin)

    response = client.get(where["list"])

    page = response.content.decode()
    assert response.status_code == 200
    assert "Weekly check-in" in page
    assert "New schedule" not in page and "Pause Weekly check-in" not in page
    assert AuditEvent.objects.filter(action="view", actor=w.admin,
                                     client_id_ref=w.client.pk).count() == 1


@pytest.mark.parametrize("page, data", WRITES)
def test_it_refuses_changes_from_the_practice_admin(client, page, data):
    w = f.world()
    _schedule, where = setting(w)
    before = snapshot()
    login(client, w.admin)

    response = client.post(page.format(**where), data)

    assert response.status_code == 403
    assert snapshot() == before


def test_it_refuses_another_clients_schedule_under_ones_own_clients_address(client):
    w = f.world()
    signed(w.other_client)
    theirs = calendar_schedule(w.other_client)
    signed(w.client)
    login(client, w.clinician.user)
    before = snapshot()

    for action in ("edit", "pause", "end"):
        response = client.post(f"/clients/{w.client.pk}/schedules/{theirs.pk}/{action}/",
                               WEEKLY)
        assert response.status_code == 404
    assert snapshot() == before


def test_it_refuses_an_anonymous_visitor(client):
    w = f.world()
    _schedule, where = setting(w)

    response = client.get(where["list"])

    assert response.status_code == 302
    assert "/login/" in response["Location"]
