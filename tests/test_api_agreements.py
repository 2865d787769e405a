"""Agreements through the API: presets prefilled for a client, offering a new version, reading
versions (audited), and the jurisdiction check."""

import pytest

from interlude.agreements.models import ConnectionAgreement, PracticeDefaults
from interlude.agreements.presets import PRESETS
from interlude.audit.models import AuditEvent

from .api_support import counts, fast_passwords, field_errors, session_api  # noqa: F401
from .factories import agreement, client, world

pytestmark = pytest.mark.django_db


def test_it_lists_the_presets():
    w = world()
    response = session_api(w.clinician.user).get("/presets")
    assert response.status_code == 200
    assert [p["key"] for p in response.json()] == list(PRESETS)
    assert response.json()[0]["label"] == str(PRESETS["dbt"]["label"])


def test_it_prefills_a_preset_for_a_client():
    w = world()
    response = session_api(w.clinician.user).get(f"/clients/{w.client.pk}/presets/dbt")
    assert response.status_code == 200
    body = response.json()
    expected = PRESETS["dbt"]["fields"]
    assert body["fields"]["coaching_call_minutes"] == expected["coaching_call_minutes"]
    assert body["fields"]["inbox_promise"] == str(expected["inbox_promise"])
    assert body["fields"]["crisis_hours"][0] == {"weekday": 0, "start": "08:00", "end": "20:00"}
    assert body["jurisdiction_covered"] is True


def test_the_general_preset_starts_from_the_practice_defaults():
    w = world()
    PracticeDefaults.objects.create(practice=w.practice, inbox_promise="Read on Tuesdays.",
                                    inbox_response_business_days=3, checkin_weekly_cap=2)
    body = session_api(w.clinician.user).get(f"/clients/{w.client.pk}/presets/general").json()
    assert body["fields"]["inbox_promise"] == "Read on Tuesdays."
    assert body["fields"]["inbox_response_business_days"] == 3
    assert body["fields"]["checkin_weekly_cap"] == 2


def test_it_refuses_an_unknown_preset():
    w = world()
    response = session_api(w.clinician.user).get(f"/clients/{w.client.pk}/presets/freudian")
    assert response.status_code == 422


def test_it_offers_a_new_agreement_from_a_preset_with_changes():
    w = world()
    response = session_api(w.clinician.user).post(f"/clients/{w.client.pk}/agreements", {
        "preset": "cbt",
        "fields": {"checkin_weekly_cap": 2, "notes": "Homework questions welcome.",
                   "crisis_route": "clinician",
                   "crisis_hours": [{"weekday": 1, "start": "09:00", "end": "12:00"}]}})
    assert response.status_code == 201, response.json()
    body = response.json()
    row = ConnectionAgreement.objects.get(client=w.client)
    assert (row.version, row.preset, row.checkin_weekly_cap) == (1, "cbt", 2)
    assert row.inbox_promise == str(PRESETS["cbt"]["fields"]["inbox_promise"])
    assert row.crisis_hours == [[1, "09:00", "12:00"]]
    assert row.notes == "Homework questions welcome."
    assert row.created_by == w.clinician.user
    assert (body["version"], body["status"], body["signed_at"]) == (1, "awaiting_signature", None)
    assert body["crisis_hours"] == [{"weekday": 1, "start": "09:00", "end": "12:00"}]
    assert AuditEvent.objects.filter(action="create", object_type="ConnectionAgreement",
                                     object_id=str(row.pk), client_id_ref=w.client.pk).exists()


def test_a_second_offer_is_the_next_version_and_keeps_the_first():
    w = world()
    agreement(w.client, version=1)
    api = session_api(w.admin)
    response = api.post(f"/clients/{w.client.pk}/agreements", {"preset": "psychodynamic"})
    assert response.status_code == 201
    assert response.json()["version"] == 2
    assert list(w.client.agreements.order_by("version").values_list("version", "preset")) == [
        (1, "general"), (2, "psychodynamic")]
    versions = api.get(f"/clients/{w.client.pk}/agreements").json()
    assert [(v["version"], v["status"]) for v in versions] == [
        (2, "awaiting_signature"), (1, "awaiting_signature")]


def test_it_refuses_an_agreement_the_rules_reject_and_writes_nothing():
    w = world()
    before = counts()
    response = session_api(w.clinician.user).post(f"/clients/{w.client.pk}/agreements", {
        "preset": "general", "fields": {"inbox_open": True, "inbox_promise": "  "}})
    errors = field_errors(response)
    assert errors["inbox_promise"] == [
        "Say what the client can expect when the inbox is open."]
    assert "inbox_promise" in response.json()["detail"]
    # Not even the practice defaults that prefilling would have created.
    assert counts() == before


def test_it_refuses_a_clinician_crisis_route_without_hours():
    w = world()
    before = counts()
    response = session_api(w.clinician.user).post(f"/clients/{w.client.pk}/agreements", {
        "preset": "cbt", "fields": {"crisis_route": "clinician", "crisis_hours": []}})
    assert "crisis_hours" in field_errors(response)
    assert counts() == before


def test_it_asks_to_acknowledge_a_jurisdiction_the_clinician_is_not_licensed_for():
    w = world()
    abroad = client(w.clinician, country="ES", region="", time_zone="Europe/Madrid")
    api = session_api(w.clinician.user)
    before = counts()
    response = api.post(f"/clients/{abroad.pk}/agreements", {"preset": "cbt"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "jurisdiction_not_covered"
    assert "acknowledge_jurisdiction" in body["detail"]
    assert "ES" in body["detail"]
    assert counts() == before
    response = api.post(f"/clients/{abroad.pk}/agreements",
                        {"preset": "cbt", "acknowledge_jurisdiction": True})
    assert response.status_code == 201
    row = abroad.agreements.get()
    assert row.jurisdiction_acknowledged_at is not None
    assert response.json()["jurisdiction_acknowledged_at"] is not None
    assert AuditEvent.objects.filter(action="jurisdiction_acknowledged",
                                     client_id_ref=abroad.pk).count() == 1


def test_reading_the_current_agreement_is_audited():
    w = world()
    agreement(w.client, version=1)
    second = agreement(w.client, version=2, notes="Bring the diary card.")
    before = AuditEvent.objects.count()
    response = session_api(w.clinician.user).get(f"/clients/{w.client.pk}/agreements/current")
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["notes"]) == (2, "Bring the diary card.")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.object_id, event.client_id_ref, event.detail) == (
        "view", str(second.pk), w.client.pk, {"version": 2})
    assert "Bring" not in str(event.detail)


def test_reading_an_earlier_version_is_audited():
    w = world()
    first = agreement(w.client, version=1)
    agreement(w.client, version=2)
    response = session_api(w.admin).get(f"/clients/{w.client.pk}/agreements/1")
    assert response.status_code == 200
    assert response.json()["version"] == 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.object_id, event.actor) == ("view", str(first.pk), w.admin)


def test_it_answers_404_for_a_version_that_does_not_exist():
    w = world()
    agreement(w.client, version=1)
    before = AuditEvent.objects.count()
    api = session_api(w.clinician.user)
    assert api.get(f"/clients/{w.client.pk}/agreements/7").status_code == 404
    assert api.get(f"/clients/{w.other_client.pk}/agreements/current").status_code == 404
    assert AuditEvent.objects.count() == before


def test_it_answers_404_when_a_client_has_no_agreement_yet():
    w = world()
    response = session_api(w.clinician.user).get(f"/clients/{w.client.pk}/agreements/current")
    assert response.status_code == 404
