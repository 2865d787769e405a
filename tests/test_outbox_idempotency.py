"""The same idempotency key never makes a second delivery."""

import pytest

from interlude.outreach.models import Delivery
from tests import factories
from tests.dispatcher_support import add

pytestmark = pytest.mark.django_db


def test_it_keeps_one_row_when_the_same_key_is_enqueued_twice():
    home = factories.practice()
    first = add(home, "reminder:appointment:7:2880")
    second = add(home, "reminder:appointment:7:2880", body="A different body")
    assert second.pk == first.pk
    assert Delivery.objects.filter(idempotency_key="reminder:appointment:7:2880").count() == 1
    assert Delivery.objects.get(pk=first.pk).body == "Your session is tomorrow."


def test_it_makes_a_row_per_distinct_key():
    home = factories.practice()
    add(home, "reminder:appointment:7:2880")
    add(home, "reminder:appointment:7:120")
    assert Delivery.objects.count() == 2


def test_it_stores_an_urgent_message_with_the_urgent_priority_and_due_now():
    home = factories.practice()
    delivery = add(home, "alert:1", urgent=True)
    row = Delivery.objects.get(pk=delivery.pk)
    assert row.priority == Delivery.URGENT
    assert row.state == Delivery.State.PENDING
    assert row.due_at is not None
