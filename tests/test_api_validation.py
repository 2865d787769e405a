"""Bad input through the API gets 422 with the field that is wrong and a message for it, and
leaves nothing behind: no row, no audit event."""

import pytest

from .api_support import counts, fast_passwords, field_errors, session_api  # noqa: F401
from .factories import agreement, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = world()
    agreement(w.client)
    return w


def offer(w, body):
    return session_api(w.clinician.user).post(f"/clients/{w.client.pk}/agreements", body)


@pytest.mark.parametrize(("body", "field"), [
    ({"preset": "freudian"}, "preset"),
    ({"fields": {"crisis_route": "the neighbour"}}, "fields.crisis_route"),
    ({"fields": {"checkin_minutes": 90}}, "fields.checkin_minutes"),
    ({"fields": {"checkin_weekly_cap": -1}}, "fields.checkin_weekly_cap"),
    ({"fields": {"coaching_call_minutes": 60}}, "fields.coaching_call_minutes"),
    ({"fields": {"inbox_promise": "x" * 301}}, "fields.inbox_promise"),
    ({"fields": {"notes": "x" * 5001}}, "fields.notes"),
    ({"fields": {"inbox_open": None}}, "fields.inbox_open"),
    ({"fields": {"inbox_open": "perhaps"}}, "fields.inbox_open"),
    ({"fields": {"crisis_hours": [{"weekday": 1, "start": "12:00", "end": "09:00"}]}},
     "fields.crisis_hours.0"),
    ({"fields": {"crisis_hours": [{"weekday": 9, "start": "09:00", "end": "12:00"}]}},
     "fields.crisis_hours.0.weekday"),
    ({"fields": {"inbox_promis": "typo"}}, "fields.inbox_promis"),
    ({"acknowledge_jurisdiction": "maybe"}, "acknowledge_jurisdiction"),
])
def test_it_refuses_a_bad_agreement_body_and_writes_nothing(w, body, field):
    before = counts()
    response = offer(w, body)
    errors = field_errors(response)
    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field])
    assert field in response.json()["detail"]
    assert counts() == before


def test_it_reports_every_bad_field_at_once(w):
    response = offer(w, {"preset": "x", "fields": {"checkin_minutes": 1, "notes": 3}})
    assert set(field_errors(response)) == {"preset", "fields.checkin_minutes", "fields.notes"}


def test_it_gives_the_null_message_in_plain_words(w):
    errors = field_errors(offer(w, {"fields": {"crisis_route": None}}))
    assert errors["fields.crisis_route"] == [
        "This field cannot be null; leave it out to keep the preset's value."]


def test_it_refuses_a_body_that_is_not_an_object(w):
    before = counts()
    errors = field_errors(offer(w, [1, 2]))
    assert list(errors) == ["__all__"]
    assert counts() == before


def test_it_refuses_a_body_that_is_not_json(w):
    before = counts()
    response = offer(w, '{"preset": ')
    assert response.status_code == 400
    assert response.json()["detail"] == "Cannot parse request body"
    assert counts() == before


@pytest.mark.parametrize(("body", "field"), [
    ({}, "version"),
    ({"version": 0}, "version"),
    ({"version": "one"}, "version"),
])
def test_it_refuses_a_bad_signature_body(w, body, field):
    before = counts()
    response = session_api(w.client.user).post("/me/agreement/sign", body)
    assert field in field_errors(response)
    assert counts() == before


@pytest.mark.parametrize(("body", "field"), [
    ({}, "windows"),
    ({"windows": [{"weekday": 1, "start": "09:00"}]}, "windows.0.end"),
    ({"windows": [{"weekday": 1, "start": "09:00:00", "end": "10:00"}]}, "windows.0.start"),
])
def test_it_refuses_bad_office_hours(w, body, field):
    before = counts()
    response = session_api(w.clinician.user).put("/me/office-hours", body)
    assert field in field_errors(response)
    assert counts() == before


@pytest.mark.parametrize(("body", "field"), [
    ({"ends_at": "2030-01-02T00:00:00Z"}, "starts_at"),
    ({"starts_at": "tomorrow", "ends_at": "2030-01-02T00:00:00Z"}, "starts_at"),
    ({"starts_at": "2030-01-01T00:00:00Z", "ends_at": "2030-01-02T00:00:00Z",
      "kind": "holiday"}, "kind"),
    ({"starts_at": "2030-01-01T00:00:00Z", "ends_at": "2030-01-02T00:00:00Z",
      "label": "x" * 121}, "label"),
])
def test_it_refuses_bad_time_off(w, body, field):
    before = counts()
    response = session_api(w.clinician.user).post("/me/time-off", body)
    assert field in field_errors(response)
    assert counts() == before


@pytest.mark.parametrize(("query", "field"), [
    ("page=0", "page"),
    ("page_size=1000", "page_size"),
    ("page=two", "page"),
])
def test_it_refuses_bad_paging(w, query, field):
    before = counts()
    response = session_api(w.clinician.user).get(f"/clients?{query}")
    assert field in field_errors(response)
    assert counts() == before


def test_it_refuses_an_empty_token_name(w):
    before = counts()
    response = session_api(w.clinician.user).post("/tokens", {"name": ""})
    assert "name" in field_errors(response)
    assert counts() == before
