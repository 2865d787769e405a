"""May this contact happen at a given time, and if not, when will it be seen: the API face of
the availability engine, for staff about a client and for a client about themself."""

from datetime import datetime

import pytest

from interlude.agreements.models import AgreementSignature, TimeOff

from .api_support import counts, fast_passwords, field_errors, session_api  # noqa: F401
from .factories import agreement, weekday_hours, world

pytestmark = pytest.mark.django_db

# Wednesday 12 March 2025; the clinician works 09:00-17:00 Los Angeles time (UTC-7 that week).
IN_HOURS = "2025-03-12T10:00:00-07:00"
AFTER_HOURS = "2025-03-12T18:00:00-07:00"


def signed_world(**fields):
    w = world()
    weekday_hours(w.clinician)
    a = agreement(w.client, inbox_open=True, **fields)
    AgreementSignature.objects.create(agreement=a, signed_by=w.client.user, version=a.version)
    return w


def parse(value):
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_it_allows_the_inbox_in_office_hours():
    w = signed_world()
    response = session_api(w.clinician.user).get(
        f"/clients/{w.client.pk}/availability", query_params={"channel": "inbox", "at": IN_HOURS})
    assert response.status_code == 200
    body = response.json()
    assert (body["allowed"], body["reason"], body["channel"]) == (True, "in_office_hours",
                                                                  "inbox")
    assert parse(body["next_seen_at"]) == parse(IN_HOURS)


def test_it_says_when_a_message_after_hours_will_be_read():
    w = signed_world()
    body = session_api(w.admin).get(
        f"/clients/{w.client.pk}/availability",
        query_params={"channel": "inbox", "at": AFTER_HOURS}).json()
    assert (body["allowed"], body["reason"]) == (False, "outside_office_hours")
    assert parse(body["next_seen_at"]) == parse("2025-03-13T09:00:00-07:00")
    assert parse(body["at"]) == parse(AFTER_HOURS)


def test_time_off_pushes_the_answer_past_it():
    w = signed_world()
    TimeOff.objects.create(clinician=w.clinician, starts_at=parse("2025-03-12T00:00:00-07:00"),
                           ends_at=parse("2025-03-14T00:00:00-07:00"))
    body = session_api(w.clinician.user).get(
        f"/clients/{w.client.pk}/availability",
        query_params={"channel": "inbox", "at": IN_HOURS}).json()
    assert (body["allowed"], body["reason"]) == (False, "time_off")
    assert parse(body["next_seen_at"]) == parse("2025-03-14T09:00:00-07:00")


def test_a_client_asks_about_themself():
    w = signed_world()
    response = session_api(w.client.user).get(
        "/me/availability", query_params={"channel": "inbox", "at": AFTER_HOURS})
    assert response.status_code == 200
    assert response.json()["allowed"] is False
    assert parse(response.json()["next_seen_at"]) == parse("2025-03-13T09:00:00-07:00")


def test_it_answers_for_now_when_no_time_is_given():
    w = signed_world()
    body = session_api(w.client.user).get("/me/availability?channel=self_help").json()
    assert (body["allowed"], body["reason"]) == (True, "always_open")


def test_an_unsigned_agreement_keeps_channels_closed():
    w = world()
    weekday_hours(w.clinician)
    agreement(w.client, inbox_open=True)
    body = session_api(w.client.user).get(
        "/me/availability", query_params={"channel": "inbox", "at": IN_HOURS}).json()
    assert (body["allowed"], body["reason"], body["next_seen_at"]) == (False, "not_signed", None)


def test_it_refuses_a_time_without_an_offset():
    w = signed_world()
    before = counts()
    response = session_api(w.clinician.user).get(
        f"/clients/{w.client.pk}/availability",
        query_params={"channel": "inbox", "at": "2025-03-12T10:00:00"})
    assert "at" in field_errors(response)
    assert counts() == before


def test_it_refuses_an_unknown_channel():
    w = signed_world()
    response = session_api(w.client.user).get("/me/availability?channel=carrier_pigeon")
    assert "channel" in field_errors(response)


def test_it_refuses_a_missing_channel():
    w = signed_world()
    response = session_api(w.client.user).get("/me/availability")
    assert "channel" in field_errors(response)


def test_a_client_may_not_ask_the_staff_route_even_about_themself():
    w = signed_world()
    response = session_api(w.client.user).get(
        f"/clients/{w.client.pk}/availability?channel=inbox")
    assert response.status_code == 403
