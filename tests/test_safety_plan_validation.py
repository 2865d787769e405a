"""An empty plan or a step that is too long is refused with a clear message, and nothing is
written."""

import pytest
from django.core.exceptions import ValidationError

from interlude.audit.models import AuditEvent
from interlude.crisis.models import SafetyPlan
from interlude.crisis.safety_plans import MAX_STEP_LENGTH, save_plan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return factories.world()


def nothing_written():
    return (not SafetyPlan.objects.exists()
            and not AuditEvent.objects.filter(object_type="SafetyPlan").exists())


def test_it_refuses_an_empty_plan(client, w):
    factories.verified_login(client, w.client.user)
    response = client.post("/me/safety-plan/", {"warning_signs": "   ", "help_contacts": ""})
    assert response.status_code == 400
    assert "Fill in at least one step of the plan." in response.content.decode()
    assert nothing_written()


def test_it_refuses_a_step_that_is_too_long(client, w):
    factories.verified_login(client, w.clinician.user)
    response = client.post(f"/clients/{w.client.pk}/safety-plan/", {
        "warning_signs": "ok", "coping_strategies": "x" * (MAX_STEP_LENGTH + 1)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Keep this step under 2,000 characters (it has 2,001)." in body
    assert 'aria-invalid="true"' in body
    assert nothing_written()


def test_it_accepts_a_step_of_exactly_the_limit(w):
    plan, created = save_plan(w.client.user, w.client, {"warning_signs": "y" * MAX_STEP_LENGTH})
    assert created and len(plan.warning_signs) == MAX_STEP_LENGTH


def test_it_names_each_bad_step_through_the_rules(w):
    with pytest.raises(ValidationError) as caught:
        save_plan(w.client.user, w.client, {"help_contacts": "z" * 2500,
                                            "reasons_for_living": "q" * 2001})
    assert sorted(caught.value.message_dict) == ["help_contacts", "reasons_for_living"]
    assert nothing_written()
