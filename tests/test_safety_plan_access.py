"""Only the client and the client's own clinician may read or write the safety plan; everyone
else, practice admins included, is told it does not exist."""

import pytest

from interlude.crisis.models import SafetyPlan
from interlude.crisis.safety_plans import save_plan
from tests import factories

pytestmark = pytest.mark.django_db

PLAN = {"warning_signs": "Not sleeping", "reasons_for_living": "My sister"}


@pytest.fixture
def w():
    return factories.world()


def url(client_row):
    return f"/clients/{client_row.pk}/safety-plan/"


def test_it_shows_the_client_their_own_plan(client, w):
    save_plan(w.clinician.user, w.client, PLAN)
    factories.verified_login(client, w.client.user)
    response = client.get("/me/safety-plan/")
    assert response.status_code == 200
    assert "Not sleeping" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_it_shows_the_clinician_their_clients_plan(client, w):
    save_plan(w.client.user, w.client, PLAN)
    factories.verified_login(client, w.clinician.user)
    response = client.get(url(w.client))
    assert response.status_code == 200
    assert "My sister" in response.content.decode()


@pytest.mark.parametrize("who", ["other_clinician", "foreign_clinician", "admin",
                                 "foreign_admin"])
def test_it_refuses_anyone_else_the_clinicians_page(client, w, who):
    save_plan(w.clinician.user, w.client, PLAN)
    person = getattr(w, who)
    factories.verified_login(client, getattr(person, "user", person))
    assert client.get(url(w.client)).status_code == 404
    response = client.post(url(w.client), {"warning_signs": "changed"})
    assert response.status_code == 404
    assert list(SafetyPlan.objects.values_list("version", "warning_signs")) == [
        (1, "Not sleeping")]


def test_it_refuses_a_client_the_clinicians_page_even_for_their_own_plan(client, w):
    factories.verified_login(client, w.client.user)
    assert client.get(url(w.client)).status_code == 404
    assert client.get(url(w.other_client)).status_code == 404


@pytest.mark.parametrize("who", ["clinician", "admin"])
def test_it_refuses_staff_the_clients_page(client, w, who):
    person = getattr(w, who)
    factories.verified_login(client, getattr(person, "user", person))
    assert client.get("/me/safety-plan/").status_code == 404


def test_it_never_shows_a_client_another_clients_plan(client, w):
    save_plan(w.other_clinician.user, w.other_client, {"warning_signs": "Someone else's"})
    factories.verified_login(client, w.client.user)
    body = client.get("/me/safety-plan/").content.decode()
    assert "Someone else" not in body
    assert client.get(url(w.other_client)).status_code == 404


@pytest.mark.parametrize("who", ["other_clinician", "admin", "foreign_clinician"])
def test_it_refuses_a_save_through_the_rules(w, who):
    person = getattr(w, who)
    with pytest.raises(Exception, match="No such safety plan"):
        save_plan(getattr(person, "user", person), w.client, PLAN)
    with pytest.raises(Exception, match="No such safety plan"):
        save_plan(w.other_client.user, w.client, PLAN)
    assert not SafetyPlan.objects.exists()


def test_it_asks_anonymous_visitors_to_log_in(client, w):
    response = client.get("/me/safety-plan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
