"""Every save of a safety plan is a new version; the newest is current and the earlier ones
stay on record for the clinician."""

import pytest

from interlude.crisis.models import SafetyPlan
from interlude.crisis.safety_plans import current_plan, save_plan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return factories.world()


def form(**steps):
    data = {name: "" for name in ("warning_signs", "coping_strategies", "distraction_contacts",
                                  "help_contacts", "professional_contacts",
                                  "environment_safety", "reasons_for_living")}
    data.update(steps)
    return data


def test_it_makes_version_one_then_two(client, w):
    factories.verified_login(client, w.clinician.user)
    page = f"/clients/{w.client.pk}/safety-plan/"
    first = client.post(page, form(warning_signs="Pacing at night"))
    assert first.status_code == 302
    second = client.post(page, form(warning_signs="Pacing at night", help_contacts="Ana 555"))
    assert second.status_code == 302
    versions = list(SafetyPlan.objects.filter(client=w.client).order_by("version")
                    .values_list("version", "help_contacts", "created_by"))
    assert versions == [(1, "", w.clinician.user.pk), (2, "Ana 555", w.clinician.user.pk)]
    assert current_plan(w.client).version == 2


def test_it_lets_the_client_save_a_version_from_their_page(client, w):
    save_plan(w.clinician.user, w.client, form(warning_signs="Pacing"))
    factories.verified_login(client, w.client.user)
    response = client.post("/me/safety-plan/", form(warning_signs="Pacing",
                                                    reasons_for_living="My dog"))
    assert response.status_code == 302
    plan = current_plan(w.client)
    assert (plan.version, plan.reasons_for_living, plan.created_by_id) == (
        2, "My dog", w.client.user.pk)


def test_it_makes_no_version_when_nothing_changed(w):
    plan, created = save_plan(w.client.user, w.client, form(warning_signs="Pacing"))
    again, created_again = save_plan(w.client.user, w.client, form(warning_signs=" Pacing "))
    assert (created, created_again) == (True, False)
    assert again.pk == plan.pk
    assert SafetyPlan.objects.count() == 1


def test_it_keeps_versions_per_client(w):
    save_plan(w.client.user, w.client, form(warning_signs="A"))
    save_plan(w.other_client.user, w.other_client, form(warning_signs="B"))
    assert current_plan(w.other_client).version == 1


def test_it_lists_the_history_for_the_clinician_and_opens_an_earlier_version(client, w):
    save_plan(w.clinician.user, w.client, form(warning_signs="First words"))
    save_plan(w.client.user, w.client, form(warning_signs="Second words"))
    factories.verified_login(client, w.clinician.user)
    page = f"/clients/{w.client.pk}/safety-plan/"
    body = client.get(page).content.decode()
    assert 'href="?version=1"' in body and 'href="?version=2"' in body
    assert "Second words" in body
    old = client.get(page + "?version=1")
    assert old.status_code == 200
    assert "First words" in old.content.decode()
    assert client.get(page + "?version=9").status_code == 404
    assert client.get(page + "?version=x").status_code == 404
