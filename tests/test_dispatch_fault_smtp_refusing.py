"""The mail server refusing: a temporary refusal (451) or no server at all is retried with a
growing backoff until the attempts run out, a permanent one (554) is dead at once, and a dead
delivery appears on the practice admin's /deliveries/ page, and only on theirs.

The dispatcher runs in the test's process against a real SMTP server (aiosmtpd) on a local
port; the test stands in for the passing of time by moving the retry's due time to now.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from interlude.outreach import outbox
from interlude.outreach.dispatcher import Dispatcher, backoff_seconds
from interlude.outreach.models import Delivery
from tests import factories
from tests.support.processes import SMTP_BACKEND
from tests.support.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink(tmp_path, settings):
    with SmtpSink(tmp_path / "sink") as running:
        settings.EMAIL_BACKEND = SMTP_BACKEND
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = running.port
        settings.EMAIL_TIMEOUT = 5
        yield running


@pytest.fixture
def w():
    return factories.world()


def reminder(w, key, max_attempts=3):
    return outbox.enqueue(practice=w.practice, channel="email", kind="reminder",
                          idempotency_key=key, recipient=w.client.user,
                          address="client@example.org", subject="Appointment reminder",
                          body="You have an appointment soon.", ref=("appointment", 4242),
                          max_attempts=max_attempts)


def attempt(delivery):
    """One dispatcher pass; returns the row afterwards and the backoff it was given."""
    started = timezone.now()
    claimed = Dispatcher(name="refusing-test", lease=30).run_once()
    delivery.refresh_from_db()
    return claimed, delivery, (delivery.due_at - started).total_seconds()


def time_passes(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())


def test_it_retries_a_temporary_refusal_with_growing_backoff_then_marks_it_dead(sink, w):
    sink.set_mode("temporary")
    delivery = reminder(w, "refuse-451", max_attempts=3)
    backoffs = []
    for number in (1, 2):
        claimed, delivery, waited = attempt(delivery)
        assert (claimed, delivery.state, delivery.attempts) == (1, "pending", number)
        assert "SMTP 451" in delivery.last_error
        low, high = (backoff_seconds(number, rand=lambda r=r: r) for r in (0.0, 1.0))
        assert low - 1 <= waited <= high + 1, (number, waited, low, high)
        backoffs.append(waited)
        # Not due yet: the next pass leaves it alone.
        assert Dispatcher(name="refusing-test").run_once() == 0
        time_passes(delivery)
    assert backoffs[1] > backoffs[0]

    claimed, delivery, _waited = attempt(delivery)
    assert (claimed, delivery.state, delivery.attempts) == (1, "dead", 3)
    assert [m.key for m in sink.refused()] == ["refuse-451"] * 3
    assert sink.received() == []

    # Dead stays dead when the server accepts again: only an admin's retry revives it.
    sink.set_mode("accept")
    assert Dispatcher(name="refusing-test").run_once() == 0
    assert sink.received() == []
    delivery.refresh_from_db()
    assert delivery.state == "dead"


def test_it_marks_a_message_refused_for_good_dead_at_once(sink, w):
    sink.set_mode("permanent")
    delivery = reminder(w, "refuse-554", max_attempts=5)
    claimed, delivery, _waited = attempt(delivery)
    assert (claimed, delivery.state, delivery.attempts) == (1, "dead", 1)
    assert "SMTP 554" in delivery.last_error
    assert [m.key for m in sink.refused()] == ["refuse-554"]


def test_it_retries_when_the_mail_server_is_not_there_at_all(sink, w):
    sink.stop()
    delivery = reminder(w, "no-server", max_attempts=5)
    claimed, delivery, waited = attempt(delivery)
    assert (claimed, delivery.state, delivery.attempts) == (1, "pending", 1)
    assert "connection refused" in delivery.last_error
    assert waited >= backoff_seconds(1, rand=lambda: 0.0) - 1


def test_it_shows_a_dead_delivery_to_its_practice_admin_only(sink, w, client):
    sink.set_mode("temporary")
    delivery = reminder(w, "refused-then-shown", max_attempts=2)
    attempt(delivery)
    time_passes(delivery)
    _claimed, delivery, _waited = attempt(delivery)
    assert delivery.state == "dead"

    factories.verified_login(client, w.admin)
    response = client.get("/deliveries/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="dead-{delivery.pk}"' in page
    assert "SMTP 451" in page
    assert "appointment 4242" in page
    assert 'data-state="dead">1<' in page

    factories.verified_login(client, w.foreign_admin)
    response = client.get("/deliveries/")
    assert response.status_code == 200
    assert f'id="dead-{delivery.pk}"' not in response.content.decode()

    factories.verified_login(client, w.clinician.user)
    assert client.get("/deliveries/").status_code == 404
    assert Delivery.objects.get(pk=delivery.pk).state == "dead"


def test_it_sends_again_after_the_refusal_clears_before_the_attempts_run_out(sink, w):
    sink.set_mode("temporary")
    delivery = reminder(w, "refused-once", max_attempts=3)
    attempt(delivery)
    sink.set_mode("accept")
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    claimed, delivery, _waited = attempt(delivery)
    assert (claimed, delivery.state, delivery.attempts) == (1, "sent", 2)
    assert [m.key for m in sink.received()] == ["refused-once"]
    assert [m.key for m in sink.refused()] == ["refused-once"]
