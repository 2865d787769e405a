"""Helpers for the outbox tests: a channel that records what it is asked to send, and a real
SMTP server (aiosmtpd) on a free port that keeps what it receives or refuses on demand."""

import contextlib
import socket
import time
from email import message_from_bytes
from email.policy import default as default_policy

from aiosmtpd.controller import Controller
from django.test.utils import override_settings

from interlude.outreach.outbox import enqueue

FAKE = "tests.dispatcher_support.RecordingChannel"


class RecordingChannel:
    """Records each send by idempotency key; `failures` holds exceptions to raise, in order."""

    sent = []
    failures = []
    on_send = None

    @classmethod
    def reset(cls):
        cls.sent = []
        cls.failures = []
        cls.on_send = None

    def send(self, delivery):
        if RecordingChannel.on_send is not None:
            RecordingChannel.on_send(delivery)
        if RecordingChannel.failures:
            raise RecordingChannel.failures.pop(0)
        RecordingChannel.sent.append(delivery.idempotency_key)


def fake_channels(*names):
    """Route these channels (default: all three) to RecordingChannel."""
    from django.conf import settings

    chosen = dict(settings.INTERLUDE_CHANNELS)
    for name in names or ("in_app", "email", "sms"):
        chosen[name] = FAKE
    RecordingChannel.reset()
    return override_settings(INTERLUDE_CHANNELS=chosen)


def add(practice, key, *, channel="in_app", recipient=None, due_at=None, urgent=False,
        address="", max_attempts=None, body="Your session is tomorrow.", subject="Reminder"):
    return enqueue(practice=practice, channel=channel, kind="test", idempotency_key=key,
                   recipient=recipient, address=address, due_at=due_at, urgent=urgent,
                   subject=subject, body=body, max_attempts=max_attempts)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """An aiosmtpd handler: accepts and keeps messages, or refuses recipients with `refuse`
    (e.g. "451 4.3.0 Try again later"); `delay` seconds of thinking per message."""

    def __init__(self, refuse="", delay=0.0):
        self.refuse = refuse
        self.delay = delay
        self.messages = []
        self.sessions = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        self.sessions.add(id(session))
        message = message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append({"to": list(envelope.rcpt_tos), "from": envelope.mail_from,
                              "message": message})
        return "250 Message accepted"


@contextlib.contextmanager
def smtp_server(sink):
    """A real SMTP server on a free local port; Django's SMTP backend pointed at it."""
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtp_settings(port):
            yield port
    finally:
        controller.stop()


def smtp_settings(port):
    return override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                             EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, EMAIL_USE_TLS=False,
                             EMAIL_HOST_USER="", EMAIL_HOST_PASSWORD="", EMAIL_TIMEOUT=5,
                             DEFAULT_FROM_EMAIL="Harbor Counseling <no-reply@harbor.example>")


def wait_until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()
