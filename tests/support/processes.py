"""Dispatchers in processes of their own, and the database they share with the test.

A fault test must kill a dispatcher with SIGKILL, so each dispatcher is a real
`interlude dispatch --name NAME` process, configured entirely through the environment:

- the same database as the test (see below), the same SECRET_KEY and ENCRYPTION_KEYS (the
  processes decrypt what the test encrypted);
- Django's SMTP backend pointed at the test's SMTP sink;
- a short lease, so the rows of a killed dispatcher come back within seconds.

Which database the processes share:

- PostgreSQL: the test database pytest-django created (`test_<NAME>`), with tests marked
  `django_db(transaction=True)` so every row the test writes is committed and visible to the
  dispatchers. `PostgresDatabase` builds the DATABASE_URL from the test's own connection.
- SQLite: pytest-django's SQLite test database lives in memory, out of other processes' reach.
  `SqliteDatabase` therefore builds a database file of its own in a temporary directory: the
  processes run with INTERLUDE_VAR_DIR there and no DATABASE_URL, so they use exactly the
  settings of the embedded default (WAL, busy timeout, BEGIN IMMEDIATE); it is migrated and
  seeded by subprocesses (`python -m tests.support.processes seed ...`) and read by the test
  with the sqlite3 module.
"""

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

PROJECT = Path(__file__).resolve().parents[2]
DELIVERY_TABLE = "outreach_delivery"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# Variables of the test's own environment that must not leak into a dispatcher's.
NOT_INHERITED = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY_FILE",
                 "ENCRYPTION_KEYS_FILE", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
                 "EMAIL_USE_TLS")


def dispatcher_env(database_env, smtp_port, lease_seconds=5, batch=20, **extra):
    """The environment of a dispatcher process: the test's keys, the shared database, the sink."""
    from django.conf import settings

    env = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    env.update({
        "INTERLUDE_MODE": "dev",
        "INTERLUDE_VAR_DIR": str(settings.VAR_DIR),
        "DJANGO_SETTINGS_MODULE": "interlude.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "ENCRYPTION_KEYS": ",".join(settings.ENCRYPTION_KEYS),
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "DISPATCH_LEASE_SECONDS": str(lease_seconds),
        "DISPATCH_BATCH": str(batch),
        "DISPATCH_IN_SERVER": "false",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
    })
    env.update(database_env)
    env.update({name: str(value) for name, value in extra.items()})
    return env


class DispatcherProcess:
    """`interlude dispatch --name NAME` with its output in `<log_dir>/<name>-<n>.log`."""

    def __init__(self, name, env, log_dir):
        self.name = name
        self.env = env
        self.log_dir = Path(log_dir)
        self.process = None
        self.starts = 0
        self.log_path = None

    def start(self, wait=True):
        self.starts += 1
        self.log_path = self.log_dir / f"{self.name}-{self.starts}.log"
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "interlude.cli", "dispatch", "--name", self.name],
                env=self.env, cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT)
        if wait:
            self.wait_until_running()
        return self

    def wait_until_running(self, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if "is running" in self.log():
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"dispatcher {self.name} exited at start:\n{self.log()}")
            time.sleep(0.05)
        raise RuntimeError(f"dispatcher {self.name} did not start in {seconds} s:\n{self.log()}")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL: no handler runs, nothing is handed back, the process is simply gone."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def terminate(self, timeout=15):
        """SIGTERM, as a service manager stops it; returns the exit status."""
        if not self.alive():
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except (AttributeError, FileNotFoundError):
            return ""


@contextmanager
def dispatchers(names, env, log_dir):
    """Start one dispatcher per name; on the way out stop whatever still runs."""
    started = [DispatcherProcess(name, env, log_dir) for name in names]
    try:
        for dispatcher in started:
            dispatcher.start(wait=False)
        for dispatcher in started:
            dispatcher.wait_until_running()
        yield started
    finally:
        for dispatcher in started:
            if dispatcher.alive():
                dispatcher.kill()


def wait_for(condition, timeout, interval=0.05, message="condition"):
    """Poll `condition()` until it returns something true; returns that, or fails loudly
    with `message` (a string, or a function called at the timeout to describe the state)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            described = message() if callable(message) else message
            raise AssertionError(f"timed out after {timeout} s waiting for {described}")
        time.sleep(interval)


# --- the deliveries -------------------------------------------------------------------------

def delivery_key(prefix, number):
    return f"{prefix}-{number:05d}"


def seed_deliveries(practice, count, prefix, due_at=None, chunk=1000):
    """`count` pending email deliveries due now, with keys `<prefix>-00000`... (committed)."""
    from django.db import transaction
    from django.utils import timezone

    from interlude.outreach.models import Delivery

    due_at = due_at or timezone.now()
    for start in range(0, count, chunk):
        rows = [Delivery(practice=practice, channel="email", kind="fault_test",
                         address=f"client{n}@example.org", subject="Appointment reminder",
                         body="You have an appointment soon.", due_at=due_at,
                         state=Delivery.State.PENDING, idempotency_key=delivery_key(prefix, n))
                for n in range(start, min(count, start + chunk))]
        with transaction.atomic():
            Delivery.objects.bulk_create(rows)
    return [delivery_key(prefix, n) for n in range(count)]


class PostgresDatabase:
    """The pytest-django test database, shared with dispatcher processes over TCP."""

    def __init__(self):
        from django.db import connection

        self.settings = connection.settings_dict

    def url(self, host=None, port=None):
        s = self.settings
        credentials = quote(s["USER"] or "", safe="")
        if s.get("PASSWORD"):
            credentials += ":" + quote(s["PASSWORD"], safe="")
        return (f"postgres://{credentials}@{host or s['HOST'] or '127.0.0.1'}:"
                f"{port or s['PORT'] or 5432}/{quote(s['NAME'], safe='')}")

    def env(self, host=None, port=None):
        return {"DATABASE_URL": self.url(host, port)}

    def seed(self, count, prefix):
        from tests import factories

        return seed_deliveries(factories.practice(), count, prefix)

    def states(self):
        from django.db.models import Count

        from interlude.outreach.models import Delivery

        return dict(Delivery.objects.values_list("state").annotate(n=Count("id")))

    def claimed_keys(self, name):
        from interlude.outreach.models import Delivery

        return set(Delivery.objects.filter(state=Delivery.State.CLAIMED, claimed_by=name)
                   .values_list("idempotency_key", flat=True))


class SqliteDatabase:
    """A database file of its own, under `directory`, with the embedded default's settings."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / "interlude.sqlite3"

    def env(self):
        # No DATABASE_URL: the settings put the database under INTERLUDE_VAR_DIR.
        return {"INTERLUDE_VAR_DIR": str(self.directory)}

    def run(self, env, *args):
        completed = subprocess.run([sys.executable, *args], env=env, cwd=PROJECT,
                                   capture_output=True, text=True, timeout=300)
        if completed.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{completed.stdout}{completed.stderr}")
        return completed.stdout

    def prepare(self, env, count, prefix):
        """Migrate the file and seed `count` due deliveries; returns their keys."""
        self.run(env, "-m", "interlude.cli", "migrate", "--noinput", "-v", "0")
        self.run(env, "-m", "tests.support.processes", "seed", str(count), prefix)
        return [delivery_key(prefix, n) for n in range(count)]

    def query(self, sql, params=()):
        with sqlite3.connect(self.path, timeout=30) as db:
            return db.execute(sql, params).fetchall()

    def states(self):
        return dict(self.query(f"SELECT state, COUNT(*) FROM {DELIVERY_TABLE} GROUP BY state"))

    def claimed_keys(self, name):
        rows = self.query(f"SELECT idempotency_key FROM {DELIVERY_TABLE} "
                          "WHERE state = 'claimed' AND claimed_by = ?", (name,))
        return {key for (key,) in rows}

    @contextmanager
    def write_lock(self):
        """Hold the database's write lock (BEGIN IMMEDIATE) for the duration of the block."""
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        finally:
            db.close()


def _seed_command(count, prefix):
    import django

    django.setup()
    from interlude.accounts.models import Practice

    practice = Practice.objects.create(name="Fault Test Practice", slug=f"fault-{prefix}")
    seed_deliveries(practice, count, prefix)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Seed a test database with due deliveries.")
    parser.add_argument("command", choices=["seed"])
    parser.add_argument("count", type=int)
    parser.add_argument("prefix")
    arguments = parser.parse_args()
    _seed_command(arguments.count, arguments.prefix)
