"""The in-app channel makes one notification per delivery, even when asked twice."""

import pytest

from interlude.outreach.channels import PermanentFailure
from interlude.outreach.channels.in_app import InAppChannel
from interlude.outreach.dispatcher import Dispatcher
from interlude.outreach.models import Delivery, Notification
from tests import factories
from tests.dispatcher_support import add

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return factories.client(factories.clinician(factories.practice()))


def test_it_makes_one_notification_even_when_sent_twice(person):
    delivery = add(person.practice, "welcome:1", recipient=person.user)
    InAppChannel().send(delivery)
    InAppChannel().send(delivery)
    notification = Notification.objects.get()
    assert notification.user_id == person.user.pk
    assert notification.delivery_id == delivery.pk
    assert (notification.title, notification.body) == ("Reminder", "Your session is tomorrow.")
    assert notification.read_at is None


def test_it_refuses_a_delivery_without_a_recipient(person):
    delivery = add(person.practice, "welcome:1")
    with pytest.raises(PermanentFailure, match="no recipient"):
        InAppChannel().send(delivery)
    assert Notification.objects.count() == 0


def test_the_dispatcher_delivers_in_app_messages_to_their_recipient(person):
    other = factories.client(person.clinician)
    add(person.practice, "a", recipient=person.user)
    add(person.practice, "b", recipient=other.user)
    assert Dispatcher("d1").run_once() == 2
    assert set(Notification.objects.values_list("user_id", "delivery__idempotency_key")) == {
        (person.user.pk, "a"), (other.user.pk, "b")}
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}


def test_a_resent_delivery_after_a_lost_lease_makes_no_second_notification(person):
    add(person.practice, "a", recipient=person.user)
    first = Dispatcher("first")
    [delivery] = first.claim()
    InAppChannel().send(delivery)  # sent, then the dispatcher died before recording it
    Delivery.objects.filter(pk=delivery.pk).update(lease_expires_at="2000-01-01T00:00Z")
    assert Dispatcher("second").run_once() == 1
    assert Notification.objects.count() == 1
    assert Delivery.objects.get().state == "sent"
