"""A Spanish-speaking client reads their safety plan page in Spanish."""

import pytest

from interlude.crisis.safety_plans import save_plan
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_shows_the_plan_page_in_spanish(client):
    w = factories.world()
    w.client.user.preferred_language = "es"
    w.client.user.save()
    save_plan(w.clinician.user, w.client, {"warning_signs": "No duermo"})
    factories.verified_login(client, w.client.user)
    response = client.get("/me/safety-plan/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mi plan de seguridad" in body
    assert "Señales de alerta" in body
    assert "Editar juntos" in body
    assert "My safety plan" not in body
