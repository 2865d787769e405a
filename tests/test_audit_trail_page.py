"""Practice admins browse and filter their own practice's audit trail; nobody else sees it."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interlude.audit.models import AuditEvent
from interlude.audit.service import record
from tests import factories
from tests.factories import verified_login

pytestmark = pytest.mark.django_db

URL = reverse("audit_list")


@pytest.fixture
def w():
    return factories.world()


@pytest.fixture
def trail(w):
    """Three events in the admin's practice and one in the other practice."""
    return {
        "read": record(w.clinician.user, "view", "ConnectionAgreement", 11, client=w.client),
        "change": record(w.clinician.user, "update", "ConnectionAgreement", 11,
                         client=w.client, detail={"fields": ["inbox_open"]}),
        "other": record(w.other_clinician.user, "view", "Client", w.other_client.pk,
                        client=w.other_client),
        "foreign": record(w.foreign_clinician.user, "view", "Client", w.foreign_client.pk,
                          client=w.foreign_client),
    }


def shown(response):
    return [row["seq"] for row in response.context["rows"]]


def test_it_shows_an_admin_their_practice_events_newest_first(client, w, trail):
    response = verified_login(client, w.admin).get(URL)
    assert response.status_code == 200
    assert shown(response) == [trail["other"].seq, trail["change"].seq, trail["read"].seq]
    body = response.content.decode()
    assert w.clinician.user.email in body and w.client.display_name in body
    assert w.foreign_clinician.user.email not in body
    assert w.foreign_client.display_name not in body


def test_it_shows_who_what_which_record_when_and_from_where(client, w):
    w.practice.time_zone = "Asia/Kolkata"  # UTC+5:30 all year
    w.practice.save()
    event = record(w.clinician.user, "view", "ConnectionAgreement", 11, client=w.client,
                   request=type("Req", (), {"META": {"REMOTE_ADDR": "203.0.113.7"}})())
    response = verified_login(client, w.admin).get(URL)
    row = response.context["rows"][0]
    local = event.at + timedelta(hours=5, minutes=30)
    assert row["when"].startswith(local.strftime("%Y-%m-%d %H:%M"))
    assert row["who"] == f"{w.clinician.user.full_name} ({w.clinician.user.email})"
    assert (row["action"], row["record"]) == ("view", "ConnectionAgreement 11")
    assert row["client"] == w.client.display_name
    assert row["where"] == "203.0.113.7"
    assert "Asia/Kolkata" in response.content.decode()


def test_it_filters_by_action(client, w, trail):
    response = verified_login(client, w.admin).get(URL, {"action": "update"})
    assert shown(response) == [trail["change"].seq]


def test_it_filters_by_record_type(client, w, trail):
    response = verified_login(client, w.admin).get(URL, {"object_type": "Client"})
    assert shown(response) == [trail["other"].seq]


def test_it_filters_by_client(client, w, trail):
    response = verified_login(client, w.admin).get(URL, {"client": w.client.pk})
    assert shown(response) == [trail["change"].seq, trail["read"].seq]


def test_it_refuses_to_filter_by_another_practices_client(client, w, trail):
    response = verified_login(client, w.admin).get(URL, {"client": w.foreign_client.pk})
    assert response.status_code == 200
    assert shown(response) == []
    assert "client" in response.context["form"].errors


def test_it_filters_by_who(client, w, trail):
    response = verified_login(client, w.admin).get(URL, {"actor": w.other_clinician.user.email})
    assert shown(response) == [trail["other"].seq]


def test_it_filters_by_dates_in_the_practice_time_zone(client, w, trail):
    today = timezone.now().astimezone(ZoneInfo(w.practice.time_zone)).date()
    verified_login(client, w.admin)
    everything = shown(client.get(URL, {"date_from": today, "date_to": today}))
    assert everything[-3:] == [trail["other"].seq, trail["change"].seq, trail["read"].seq]
    assert shown(client.get(URL, {"date_from": today + timedelta(days=1)})) == []
    assert shown(client.get(URL, {"date_to": today - timedelta(days=1)})) == []


def test_it_explains_a_date_range_that_ends_before_it_starts(client, w, trail):
    today = timezone.now().date()
    response = verified_login(client, w.admin).get(
        URL, {"date_from": today, "date_to": today - timedelta(days=2)})
    assert shown(response) == []
    assert "The end date is before the start date." in response.content.decode()


def test_it_labels_every_filter(client, w, trail):
    body = verified_login(client, w.admin).get(URL).content.decode()
    for field, label in [("actor", "Who"), ("action", "Action"), ("object_type", "Record type"),
                         ("client", "Client"), ("date_from", "From"), ("date_to", "To")]:
        assert f'<label for="id_{field}">{label}:</label>' in body


def test_it_records_that_the_trail_was_viewed(client, w, trail):
    verified_login(client, w.admin).get(URL, {"action": "update"})
    viewed = AuditEvent.objects.filter(object_type="AuditTrail").get()
    assert (viewed.actor, viewed.action, viewed.practice) == (w.admin, "view", w.practice)
    assert viewed.detail == {"page": 1, "filters": {"action": "update"}}


@pytest.mark.parametrize("who", ["clinician", "client"])
def test_it_refuses_people_who_are_not_admins(client, w, trail, who):
    user = w.clinician.user if who == "clinician" else w.client.user
    response = verified_login(client, user).get(URL)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(object_type="AuditTrail").exists()


def test_it_never_shows_another_practices_admin_this_practices_events(client, w, trail):
    response = verified_login(client, w.foreign_admin).get(URL)
    assert response.status_code == 200
    assert shown(response) == [trail["foreign"].seq]
    body = response.content.decode()
    assert w.clinician.user.email not in body and w.client.display_name not in body
    response = client.get(URL, {"client": w.client.pk})
    assert shown(response) == []


def test_it_sends_anonymous_visitors_to_log_in(client, trail):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not AuditEvent.objects.filter(object_type="AuditTrail").exists()


def test_it_pages_fifty_events_at_a_time(client, w):
    for n in range(60):
        record(w.clinician.user, "view", "Client", n, client=w.client)
    verified_login(client, w.admin)
    first = client.get(URL, {"object_type": "Client"})
    assert len(first.context["rows"]) == 50
    assert first.context["page"].paginator.count == 60
    second = client.get(URL, {"object_type": "Client", "page": 2})
    assert len(second.context["rows"]) == 10
    assert set(shown(first)).isdisjoint(shown(second))
    # The link to the next page keeps the filter.
    assert '<a href="?object_type=Client&amp;page=2" rel="next">' in first.content.decode()


def test_it_fetches_a_page_in_a_fixed_number_of_queries(client, w, django_assert_num_queries):
    def add_events(count):
        for n in range(count):
            record(w.clinician.user, "view", "ConnectionAgreement", n, client=w.client)

    add_events(10)
    verified_login(client, w.admin).get(URL)  # the first request after login saves the session
    only_agreements = {"object_type": "ConnectionAgreement"}
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(URL, only_agreements).context["rows"]) == 10
    add_events(190)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(URL, only_agreements).context["rows"]) == 50
