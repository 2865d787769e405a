"""`interlude serve` answers over HTTP and stops cleanly on SIGTERM."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(INTERLUDE_MODE="dev", INTERLUDE_VAR_DIR=str(tmp_path / "var"),
               DJANGO_SETTINGS_MODULE="interlude.settings")
    migrate = subprocess.run([sys.executable, "-m", "interlude.cli", "migrate", "--noinput"],
                             env=env, capture_output=True, text=True, timeout=120)
    assert migrate.returncode == 0, migrate.stderr
    return env


def get(url):
    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
        return response.status, response.read().decode()


def wait_for(url, process, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited early: {process.communicate()}")
        try:
            return get(url)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    pytest.fail(f"the server did not answer {url} within {seconds}s")


def test_it_serves_ping_and_stops_on_sigterm(server_env, tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "interlude.cli", "serve", "--port", str(port), "--threads", "2"],
        env=server_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/ping/", process) == (200, "pong")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert f"serving on http://127.0.0.1:{port}/" in out
    assert "Interlude stopped." in out
    assert (tmp_path / "var" / "interlude.sqlite3").exists()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "the port is still open"


def note_ticks(stop):
    """A background service as the server runs one: loop until `stop` is set."""
    while not stop.wait(0.01):
        TICKS.append(time.monotonic())
    TICKS.append("stopped")


TICKS = []


def test_it_runs_background_services_until_the_server_stops():
    from interlude.core.management.commands.serve import BackgroundServices

    TICKS.clear()
    services = BackgroundServices([f"{__name__}.note_ticks"])
    services.start()
    deadline = time.monotonic() + 5
    while len(TICKS) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(TICKS) >= 3
    assert services.stop() == []
    assert TICKS[-1] == "stopped"
    assert not any(thread.is_alive() for thread in services.threads)
