"""The steps of a safety plan are stored as ciphertext only."""

import pytest
from django.db import connection

from interlude.core.crypto import PREFIX
from interlude.crisis.models import STEP_NAMES, SafetyPlan
from interlude.crisis.safety_plans import save_plan
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_stores_every_step_as_ciphertext():
    w = factories.world()
    texts = {name: f"secret {name} text" for name in STEP_NAMES}
    plan, _ = save_plan(w.client.user, w.client, texts)
    columns = ", ".join(STEP_NAMES)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {SafetyPlan._meta.db_table} WHERE id = %s",
                       [plan.pk])
        raw = cursor.fetchone()
    assert all(value.startswith(PREFIX) for value in raw)
    assert not any("secret" in value for value in raw)
    fresh = SafetyPlan.objects.get(pk=plan.pk)
    assert {name: getattr(fresh, name) for name in STEP_NAMES} == texts
