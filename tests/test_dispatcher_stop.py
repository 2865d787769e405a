"""On SIGTERM the dispatcher finishes the message in hand, hands its other claimed rows back
to the queue, and exits cleanly."""

import json
import os
import signal
import subprocess
import sys
import threading

import pytest

from interlude.outreach.dispatcher import Dispatcher
from interlude.outreach.models import Delivery
from tests import factories
from tests.dispatcher_support import (
    RecordingChannel,
    Sink,
    add,
    fake_channels,
    free_port,
    wait_until,
)


@pytest.mark.django_db
def test_it_finishes_the_message_in_hand_and_releases_the_rest():
    home = factories.practice()
    for n in range(5):
        add(home, f"k{n}")
    stop = threading.Event()
    with fake_channels():
        RecordingChannel.on_send = lambda delivery: stop.set()  # SIGTERM arrives mid-send
        Dispatcher("d1", batch=5).run(stop)
    assert len(RecordingChannel.sent) == 1
    states = dict(Delivery.objects.values_list("idempotency_key", "state"))
    assert states[RecordingChannel.sent[0]] == "sent"
    pending = Delivery.objects.filter(state="pending")
    assert pending.count() == 4
    assert set(pending.values_list("claimed_by", "attempts")) == {("", 0)}
    assert not pending.exclude(lease_expires_at=None).exists()


@pytest.mark.django_db
def test_it_stops_between_messages_when_asked_during_a_batch():
    home = factories.practice()
    for n in range(3):
        add(home, f"k{n}")
    stop = threading.Event()
    stop.set()
    with fake_channels():
        assert Dispatcher("d1").run_once(stop) == 3
    assert RecordingChannel.sent == []
    assert Delivery.objects.filter(state="pending", claimed_by="").count() == 3


# --- the real command, in its own process --------------------------------------------------

SETUP = """
from interlude.accounts.models import Practice
from interlude.outreach.outbox import enqueue
home = Practice.objects.create(name="P", slug="p")
for n in range(6):
    enqueue(practice=home, channel="email", kind="test", idempotency_key=f"k{n}",
            address=f"c{n}@example.org", subject="Reminder", body="See you soon.")
"""
REPORT = """
import json
from interlude.outreach.models import Delivery
print(json.dumps(list(Delivery.objects.order_by("pk").values_list("state", "claimed_by"))))
"""


def run_cli(env, *args, timeout=120):
    result = subprocess.run([sys.executable, "-m", "interlude.cli", *args], env=env,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def cli_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(INTERLUDE_MODE="dev", INTERLUDE_VAR_DIR=str(tmp_path / "var"),
               DJANGO_SETTINGS_MODULE="interlude.settings")
    run_cli(env, "migrate", "--noinput")
    run_cli(env, "shell", "-v", "0", "-c", SETUP)
    return env


def test_the_command_stops_on_sigterm_and_hands_back_unsent_rows(cli_env):
    from aiosmtpd.controller import Controller

    sink = Sink(delay=0.3)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = dict(cli_env, EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
               EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port))
    process = subprocess.Popen(
        [sys.executable, "-m", "interlude.cli", "dispatch", "--name", "worker-1", "--batch", "6"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_until(lambda: len(sink.messages) >= 1, seconds=30), "nothing was sent"
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        controller.stop()
    assert process.returncode == 0, err
    assert "Dispatcher worker-1 stopped." in out
    rows = json.loads(run_cli(cli_env, "shell", "-v", "0", "-c", REPORT).strip().splitlines()[-1])
    sent = [row for row in rows if row[0] == "sent"]
    # Every message the server received is recorded as sent; the rest went back unclaimed.
    assert len(sent) == len(sink.messages) < 6
    assert sorted(set(map(tuple, rows))) == sorted({("sent", "worker-1"), ("pending", "")})
