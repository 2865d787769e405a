"""Reading and saving a safety plan leave audit events that name the version and the changed
steps, never the text."""

import json

import pytest

from interlude.audit.models import AuditEvent
from interlude.crisis.safety_plans import save_plan
from tests import factories

pytestmark = pytest.mark.django_db


def plan_events(action):
    return list(AuditEvent.objects.filter(object_type="SafetyPlan", action=action)
                .order_by("seq"))


def test_it_records_a_save_with_the_changed_steps_only():
    w = factories.world()
    first, _ = save_plan(w.clinician.user, w.client, {"warning_signs": "Racing thoughts"})
    second, _ = save_plan(w.client.user, w.client, {"warning_signs": "Racing thoughts",
                                                    "help_contacts": "Call Maria"})
    events = plan_events("create")
    assert [(e.actor_id, e.object_id, e.client_id_ref, e.detail) for e in events] == [
        (w.clinician.user.pk, str(first.pk), w.client.pk,
         {"version": 1, "changed": ["warning_signs"]}),
        (w.client.user.pk, str(second.pk), w.client.pk,
         {"version": 2, "changed": ["help_contacts"]}),
    ]
    assert events[0].practice_id == w.practice.pk
    dumped = json.dumps([e.detail for e in events])
    assert "Racing" not in dumped and "Maria" not in dumped


def test_it_records_each_read_by_client_and_clinician(client):
    w = factories.world()
    plan, _ = save_plan(w.clinician.user, w.client, {"warning_signs": "Racing thoughts"})
    factories.verified_login(client, w.client.user)
    assert client.get("/me/safety-plan/").status_code == 200
    assert client.get("/me/crisis/").status_code == 200
    factories.verified_login(client, w.clinician.user)
    assert client.get(f"/clients/{w.client.pk}/safety-plan/").status_code == 200
    views = plan_events("view")
    assert [(e.actor_id, e.object_id, e.detail) for e in views] == [
        (w.client.user.pk, str(plan.pk), {"version": 1}),
        (w.client.user.pk, str(plan.pk), {"version": 1}),
        (w.clinician.user.pk, str(plan.pk), {"version": 1}),
    ]
    assert all(e.client_id_ref == w.client.pk for e in views)


def test_it_records_no_read_when_there_is_no_plan(client):
    w = factories.world()
    factories.verified_login(client, w.client.user)
    assert client.get("/me/safety-plan/").status_code == 200
    assert plan_events("view") == []


def test_it_records_nothing_for_a_refused_read(client):
    w = factories.world()
    save_plan(w.clinician.user, w.client, {"warning_signs": "x"})
    factories.verified_login(client, w.admin)
    assert client.get(f"/clients/{w.client.pk}/safety-plan/").status_code == 404
    assert plan_events("view") == []
