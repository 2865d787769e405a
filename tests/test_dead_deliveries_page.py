"""Practice admins see their practice's deliveries by state, filter them, and retry dead ones;
nobody else sees the page, and no message text is ever shown on it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interlude.audit.models import AuditEvent
from interlude.outreach.models import Delivery
from tests import factories
from tests.dispatcher_support import add
from tests.factories import verified_login

pytestmark = pytest.mark.django_db

URL = reverse("deliveries")


@pytest.fixture
def w():
    return factories.world()


def make(practice, key, state, recipient=None, channel="in_app", **fields):
    row = add(practice, key, recipient=recipient, channel=channel,
              address="a@example.org" if channel == "email" else "",
              subject=f"Secret subject {key}", body=f"Secret body {key}")
    Delivery.objects.filter(pk=row.pk).update(state=state, **fields)
    return Delivery.objects.get(pk=row.pk)


@pytest.fixture
def outbox(w):
    return {
        "sent": make(w.practice, "sent", "sent", w.client.user, attempts=1),
        "pending": make(w.practice, "pending", "pending", w.client.user,
                        due_at=timezone.now() + timedelta(days=1)),
        "dead": make(w.practice, "dead", "dead", w.other_client.user, channel="email",
                     attempts=8, last_error="TemporaryFailure: SMTP 451: the server refused "
                                            "for now"),
        "foreign": make(w.other_practice, "foreign", "dead", w.foreign_client.user,
                        attempts=8, last_error="TemporaryFailure: x"),
    }


def test_it_shows_an_admin_counts_the_list_and_the_dead_ones(client, w, outbox):
    response = verified_login(client, w.admin).get(URL)
    assert response.status_code == 200
    counts = {c["state"]: c["count"] for c in response.context["counts"]}
    assert counts == {"pending": 1, "claimed": 0, "sent": 1, "dead": 1, "cancelled": 0}
    assert {row["pk"] for row in response.context["rows"]} == {
        outbox["sent"].pk, outbox["pending"].pk, outbox["dead"].pk}
    [dead] = response.context["dead"]
    assert dead["pk"] == outbox["dead"].pk
    assert (dead["attempts"], dead["channel"]) == ("8 / 8", "Email")
    assert dead["error"] == "TemporaryFailure: SMTP 451: the server refused for now"
    assert dead["recipient"] == w.other_client.user.full_name
    body = response.content.decode()
    assert f"Retry #{outbox['dead'].pk}" in body
    assert w.foreign_client.user.full_name not in body


def test_it_never_shows_a_subject_or_a_body(client, w, outbox):
    body = verified_login(client, w.admin).get(URL).content.decode()
    assert "Secret body" not in body
    assert "Secret subject" not in body


def test_it_filters_by_state_kind_and_channel(client, w, outbox):
    verified_login(client, w.admin)
    by_state = client.get(URL, {"state": "pending"}).context["rows"]
    assert [row["pk"] for row in by_state] == [outbox["pending"].pk]
    by_channel = client.get(URL, {"channel": "email"}).context["rows"]
    assert [row["pk"] for row in by_channel] == [outbox["dead"].pk]
    assert client.get(URL, {"kind": "test"}).context["page"].paginator.count == 3
    wrong = client.get(URL, {"state": "exploded"})
    assert wrong.status_code == 200
    assert wrong.context["rows"] == []
    assert "state" in wrong.context["form"].errors


@pytest.mark.parametrize("who", ["clinician", "client"])
def test_it_refuses_everyone_but_admins(client, w, outbox, who):
    user = {"clinician": w.clinician.user, "client": w.client.user}[who]
    verified_login(client, user)
    assert client.get(URL).status_code == 404
    response = client.post(reverse("delivery_retry", args=[outbox["dead"].pk]))
    assert response.status_code == 404
    assert client.post(reverse("delivery_retry_all")).status_code == 404
    assert Delivery.objects.get(pk=outbox["dead"].pk).state == "dead"
    assert not AuditEvent.objects.filter(action="retry").exists()


def test_it_shows_another_practices_admin_only_their_own_deliveries(client, w, outbox):
    verified_login(client, w.foreign_admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert [row["pk"] for row in response.context["rows"]] == [outbox["foreign"].pk]
    assert [row["pk"] for row in response.context["dead"]] == [outbox["foreign"].pk]
    assert w.other_client.user.full_name not in response.content.decode()
    response = client.post(reverse("delivery_retry", args=[outbox["dead"].pk]))
    assert response.status_code == 404
    client.post(reverse("delivery_retry_all"))
    assert Delivery.objects.get(pk=outbox["dead"].pk).state == "dead"
    assert Delivery.objects.get(pk=outbox["foreign"].pk).state == "pending"


def test_it_sends_a_visitor_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_it_retries_a_dead_delivery_and_audits_it(client, w, outbox):
    dead = outbox["dead"]
    before = timezone.now()
    response = verified_login(client, w.admin).post(reverse("delivery_retry", args=[dead.pk]))
    assert response.status_code == 302
    assert response["Location"] == URL
    dead.refresh_from_db()
    assert (dead.state, dead.attempts, dead.claimed_by) == ("pending", 0, "")
    assert before <= dead.due_at <= timezone.now()
    event = AuditEvent.objects.get(action="retry")
    assert (event.actor_id, event.object_type, event.object_id) == (
        w.admin.pk, "Delivery", str(dead.pk))
    assert event.practice_id == w.practice.pk
    assert event.detail == {"kind": "test", "channel": "email"}


def test_it_refuses_to_retry_another_practices_delivery(client, w, outbox):
    foreign = outbox["foreign"]
    response = verified_login(client, w.admin).post(reverse("delivery_retry", args=[foreign.pk]))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.state == "dead"


def test_it_leaves_a_delivery_that_is_not_dead_alone(client, w, outbox):
    sent = outbox["sent"]
    response = verified_login(client, w.admin).post(reverse("delivery_retry", args=[sent.pk]))
    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.state, sent.attempts) == ("sent", 1)
    assert not AuditEvent.objects.filter(action="retry").exists()


def test_it_refuses_a_get_to_retry(client, w, outbox):
    response = verified_login(client, w.admin).get(
        reverse("delivery_retry", args=[outbox["dead"].pk]))
    assert response.status_code == 405
    assert Delivery.objects.get(pk=outbox["dead"].pk).state == "dead"


def test_it_retries_all_dead_deliveries_of_the_practice_only(client, w, outbox):
    second = make(w.practice, "dead2", "dead", w.client.user, attempts=3)
    response = verified_login(client, w.admin).post(reverse("delivery_retry_all"))
    assert response.status_code == 302
    assert set(Delivery.objects.filter(pk__in=[outbox["dead"].pk, second.pk])
               .values_list("state", "attempts")) == {("pending", 0)}
    assert Delivery.objects.get(pk=outbox["foreign"].pk).state == "dead"
    event = AuditEvent.objects.get(action="retry")
    assert event.detail == {"all_dead": True, "count": 2}


def test_it_records_that_the_admin_viewed_the_deliveries(client, w, outbox):
    verified_login(client, w.admin).get(URL, {"state": "dead"})
    event = AuditEvent.objects.get(action="view", object_type="DeliveryList")
    assert event.actor_id == w.admin.pk
    assert event.detail == {"page": 1, "filters": {"state": "dead"}}


def test_it_fetches_a_page_in_a_fixed_number_of_queries(client, w, django_assert_num_queries):
    make(w.practice, "one", "dead", w.client.user)
    verified_login(client, w.admin)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for n in range(60):
        make(w.practice, f"many{n}", "dead" if n % 2 else "sent", w.other_client.user)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert len(response.context["rows"]) == 50
    assert len(response.context["dead"]) == 20
