"""The demo practice shows deliveries in every state: delivered in the app, waiting, dead."""

import pytest
from django.urls import reverse

from interlude.core.demo import ADMIN_EMAIL, load_demo
from interlude.outreach.models import Delivery, Notification
from tests.factories import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_has_sent_pending_and_dead_deliveries(client):
    practice = load_demo()
    demo = Delivery.objects.filter(practice=practice, idempotency_key__startswith="demo:")
    states = {state: demo.filter(state=state).count() for state in ("sent", "pending", "dead")}
    clients = practice.clients.count()
    assert states == {"sent": clients, "pending": 3, "dead": 2}
    assert Notification.objects.filter(delivery__in=demo.filter(state="sent")).count() == clients
    dead = demo.filter(state="dead")
    assert set(dead.values_list("channel", flat=True)) == {"email"}
    assert all(row.last_error for row in dead)

    admin = practice.users.get(email=ADMIN_EMAIL)
    response = verified_login(client, admin).get(reverse("deliveries"))
    assert response.status_code == 200
    assert {row["pk"] for row in response.context["dead"]} >= set(dead.values_list("pk", flat=True))
