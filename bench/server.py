"""Start `interlude serve` on a free port and time requests against it over one connection."""

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from importlib import import_module


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(env, log_path, threads=8):
    port = free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "interlude.cli", "serve", "--port", str(port),
             "--threads", str(threads)], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(port, process, log_path)
            yield port, process.pid
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)


def _wait_until_up(port, process, log_path, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited early; see {log_path}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"the server did not start within {seconds}s; see {log_path}")


def cpu_seconds(pid):
    """CPU time the server process has used so far (Linux; None elsewhere).

    On a busy machine wall-clock latency swells with the other processes' load; the server's
    own CPU time per request does not, so the bench reports both."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def signed_in_cookie(user):
    """A session as the login pages leave it: past the second factor for a staff member who
    has one, a plain signed-in session for a client."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from interlude.accounts.middleware import SESSION_LAST_SEEN

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store[SESSION_LAST_SEEN] = time.time()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


class Timer:
    """Times GET requests over one kept-alive connection, as a browser would reuse it."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path, cookie=None):
        headers = {"Cookie": cookie} if cookie else {}
        started = time.perf_counter()
        self.connection.request("GET", path, headers=headers)
        response = self.connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise SystemExit(f"GET {path} answered {response.status}, not 200: the bench "
                             f"measures working pages only ({body[:200]!r})")
        return elapsed

    def close(self):
        self.connection.close()


def measure(port, pid, targets, rounds, warmup):
    """Round-robin over the targets, so every page sees the same machine state.

    targets: [(label, path, cookie)]; returns ({label: [seconds, ...]}, {label: cpu seconds})
    for the timed rounds.
    """
    timer = Timer(port)
    samples = {label: [] for label, _path, _cookie in targets}
    cpu = dict.fromkeys(samples, 0.0)
    try:
        for round_number in range(warmup + rounds):
            for label, path, cookie in targets:
                before = cpu_seconds(pid)
                elapsed = timer.get(path, cookie)
                if round_number >= warmup:
                    samples[label].append(elapsed)
                    cpu[label] += (cpu_seconds(pid) or 0.0) - (before or 0.0)
    finally:
        timer.close()
    return samples, cpu


def summary(seconds):
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000
