"""The API describes itself: an OpenAPI document at /api/v1/openapi.json and docs beside it."""

import json

import pytest
from django.test import Client as HttpClient

pytestmark = pytest.mark.django_db

ROUTES = {
    "/api/v1/me": {"get"},
    "/api/v1/me/agreement": {"get"},
    "/api/v1/me/agreement/sign": {"post"},
    "/api/v1/me/availability": {"get"},
    "/api/v1/me/office-hours": {"get", "put"},
    "/api/v1/me/time-off": {"get", "post"},
    "/api/v1/me/time-off/{time_off_id}": {"delete"},
    "/api/v1/clients": {"get", "post"},
    "/api/v1/clients/{client_id}": {"get"},
    "/api/v1/clients/{client_id}/agreements": {"get", "post"},
    "/api/v1/clients/{client_id}/agreements/current": {"get"},
    "/api/v1/clients/{client_id}/agreements/{version}": {"get"},
    "/api/v1/clients/{client_id}/presets/{preset}": {"get"},
    "/api/v1/clients/{client_id}/availability": {"get"},
    "/api/v1/presets": {"get"},
    "/api/v1/practice/defaults": {"get", "put"},
    "/api/v1/tokens": {"get", "post"},
    "/api/v1/tokens/{token_id}": {"delete"},
}


@pytest.fixture
def schema():
    response = HttpClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_it_serves_an_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1"


def test_it_lists_every_route_with_its_methods(schema):
    paths = {path: set(ops) for path, ops in schema["paths"].items()}
    assert paths == ROUTES


def test_every_reference_in_the_document_resolves(schema):
    names = set(schema["components"]["schemas"])
    refs = set(_refs(schema))
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in names


def test_it_documents_both_ways_to_sign_in(schema):
    schemes = schema["components"]["securitySchemes"]
    kinds = {(s["type"], s.get("scheme") or s.get("in")) for s in schemes.values()}
    assert kinds == {("http", "bearer"), ("apiKey", "cookie")}
    token_route = schema["paths"]["/api/v1/tokens"]["post"]
    assert [list(s) for s in token_route["security"]] == [["VerifiedSession"]]


def test_it_documents_the_limits_and_choices_of_an_agreement(schema):
    components = schema["components"]["schemas"]
    fields = components["AgreementFieldsIn"]["properties"]
    minutes = [v for v in fields["checkin_minutes"]["anyOf"] if v.get("type") == "integer"][0]
    assert (minutes["minimum"], minutes["maximum"]) == (5, 30)
    assert components["CrisisRoute"]["enum"] == ["resources", "clinician", "on_call"]
    assert components["Preset"]["enum"] == ["dbt", "cbt", "psychodynamic", "general"]
    assert components["Channel"]["enum"] == ["self_help", "automated", "inbox", "checkins",
                                             "crisis"]


def test_it_serves_the_docs_page():
    response = HttpClient().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
