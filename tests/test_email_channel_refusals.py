"""An SMTP server that refuses: "try later" (4xx) and a closed port are retried, then the
delivery is dead and the practice admin sees it; a permanent refusal (5xx) is dead at once."""

import pytest
from django.urls import reverse
from django.utils import timezone

from interlude.outreach.dispatcher import Dispatcher
from interlude.outreach.models import Delivery
from tests import factories
from tests.dispatcher_support import Sink, add, free_port, smtp_server, smtp_settings
from tests.factories import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return factories.world()


def send_until_done(attempts):
    for _ in range(attempts):
        Delivery.objects.filter(state="pending").update(due_at=timezone.now())
        Dispatcher("d1").run_once()


def test_it_retries_a_server_saying_try_later_then_gives_up_and_shows_the_admin(client, w):
    sink = Sink(refuse="451 4.3.0 Mailbox busy, try again later")
    add(w.practice, "reminder:1", channel="email", recipient=w.client.user,
        address=w.client.user.email, max_attempts=3, body="Private words")
    with smtp_server(sink):
        Dispatcher("d1").run_once()
        row = Delivery.objects.get()
        assert (row.state, row.attempts) == ("pending", 1)
        assert row.last_error == "TemporaryFailure: SMTP 451: the server refused for now"
        send_until_done(2)
    assert sink.messages == []
    row = Delivery.objects.get()
    assert (row.state, row.attempts) == ("dead", 3)

    response = verified_login(client, w.admin).get(reverse("deliveries"))
    assert response.status_code == 200
    [dead] = response.context["dead"]
    assert (dead["pk"], dead["attempts"]) == (row.pk, "3 / 3")
    assert dead["error"] == "TemporaryFailure: SMTP 451: the server refused for now"
    assert dead["recipient"] == w.client.user.full_name
    assert "Private words" not in response.content.decode()


def test_it_kills_a_delivery_the_server_refuses_for_good_at_once(w):
    sink = Sink(refuse="554 5.7.1 Recipient address rejected")
    add(w.practice, "reminder:1", channel="email", address="nobody@example.org")
    with smtp_server(sink):
        Dispatcher("d1").run_once()
    row = Delivery.objects.get()
    assert (row.state, row.attempts) == ("dead", 1)
    assert row.last_error == "PermanentFailure: SMTP 554: the server refused the message"


def test_it_retries_while_the_mail_server_is_down_then_delivers_when_it_is_back(w):
    port = free_port()
    add(w.practice, "reminder:1", channel="email", address="a@example.org")
    with smtp_settings(port):
        Dispatcher("d1").run_once()
    row = Delivery.objects.get()
    assert (row.state, row.attempts) == ("pending", 1)
    assert "connection refused" in row.last_error

    sink = Sink()
    from aiosmtpd.controller import Controller

    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtp_settings(port):
            send_until_done(1)
    finally:
        controller.stop()
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 2)
    assert [m["message"]["X-Interlude-Idempotency-Key"] for m in sink.messages] == ["reminder:1"]


def test_it_keeps_sending_the_rest_of_a_batch_after_one_refusal(w):
    class PickySink(Sink):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("refused"):
                return "550 5.1.1 No such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    sink = PickySink()
    add(w.practice, "a", channel="email", address="first@example.org")
    add(w.practice, "b", channel="email", address="refused@example.org")
    add(w.practice, "c", channel="email", address="third@example.org")
    with smtp_server(sink):
        Dispatcher("d1").run_once()
    states = dict(Delivery.objects.values_list("idempotency_key", "state"))
    assert states == {"a": "sent", "b": "dead", "c": "sent"}
    assert len(sink.sessions) == 1
