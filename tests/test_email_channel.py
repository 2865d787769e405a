"""The email channel delivers through Django's SMTP backend to a real SMTP server, carrying the
idempotency key as the Message-ID and in its own header, and nothing beyond the message."""

import re

import pytest
from django.test.utils import override_settings
from hypothesis import given
from hypothesis import strategies as st

from interlude.outreach.channels import PermanentFailure, TemporaryFailure
from interlude.outreach.channels.email import EmailChannel, local_part, message_id_for
from interlude.outreach.dispatcher import Dispatcher
from interlude.outreach.models import Delivery
from tests import factories
from tests.dispatcher_support import Sink, add, free_port, smtp_server, smtp_settings

pytestmark = pytest.mark.django_db

# RFC 5322 dot-atom text: atext characters, dots only between them.
DOT_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


@pytest.fixture
def person():
    home = factories.practice()
    return factories.client(factories.clinician(home))


def test_it_delivers_one_message_with_the_key_as_message_id(person):
    sink = Sink()
    key = "reminder:appointment:42:seq0:2880"
    add(person.practice, key, channel="email", recipient=person.user,
        address=person.user.email, body="Your session is tomorrow at 10:00.")
    with smtp_server(sink):
        assert Dispatcher("d1").run_once() == 1
    [received] = sink.messages
    message = received["message"]
    assert received["to"] == [person.user.email]
    assert message["To"] == person.user.email
    assert message["From"] == "Harbor Counseling <no-reply@harbor.example>"
    assert message["Message-ID"] == message_id_for(key) == \
        "<reminder=3Aappointment=3A42=3Aseq0=3A2880@interlude>"
    assert message["X-Interlude-Idempotency-Key"] == key
    assert message["Subject"] == "Reminder"
    assert message.get_content().strip() == "Your session is tomorrow at 10:00."
    row = Delivery.objects.get()
    assert (row.state, row.attempts) == ("sent", 1)


def test_it_sends_a_whole_batch_over_one_connection(person):
    sink = Sink()
    for n in range(4):
        add(person.practice, f"k{n}", channel="email", address=f"c{n}@example.org")
    with smtp_server(sink):
        assert Dispatcher("d1", batch=10).run_once() == 4
    assert sorted(m["to"][0] for m in sink.messages) == [f"c{n}@example.org" for n in range(4)]
    assert len(sink.sessions) == 1
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}


def test_it_refuses_a_delivery_without_an_address():
    delivery = Delivery(idempotency_key="k", address="", subject="s", body="b")
    with pytest.raises(PermanentFailure, match="no email address"):
        EmailChannel().send(delivery)


def test_it_calls_a_closed_port_a_temporary_failure():
    delivery = Delivery(idempotency_key="k", address="a@example.org", subject="s", body="b")
    with smtp_settings(free_port()), pytest.raises(TemporaryFailure, match="connection refused"):
        EmailChannel().send(delivery)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_it_refuses_a_subject_that_would_break_the_headers():
    delivery = Delivery(idempotency_key="k", address="a@example.org", subject="a\nBcc: x@y",
                        body="b")
    with pytest.raises(PermanentFailure, match="line break"):
        EmailChannel().send(delivery)


@given(st.text(min_size=1, max_size=60))
def test_it_escapes_any_key_into_a_valid_local_part(key):
    assert DOT_ATOM.match(local_part(key))


@given(st.text(max_size=30), st.text(max_size=30))
def test_it_never_gives_two_keys_the_same_message_id(first, second):
    if first != second:
        assert message_id_for(first) != message_id_for(second)
