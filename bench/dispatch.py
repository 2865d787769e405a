"""`make bench`, dispatch part: the outbox dispatcher on PostgreSQL, measured side by side in
one run.

1. Raw claim rate: the dispatcher's own claim (`Dispatcher.claim`) and its own conditional
   "sent" update (`Dispatcher._record_sent`), in a loop in one process, sending nothing.
2. Throughput: `interlude dispatch` processes (1, 2 and 4) sending to a local SMTP sink in a
   process of its own, from the moment a block of rows falls due until the last is sent;
   and its ratio to the raw rate.
3. Lateness under steady load: a producer adds deliveries due "now" at a steady rate while 2
   dispatchers run; lateness is sent_at - due_at, median and 99th percentile.

Targets: throughput at least half the raw claim rate; lateness p99 under 2 s at 100 per second.

It runs in a process of its own (`python -m bench.dispatch`, started by bench/run.py after the
page bench), on a database it creates and drops, `interlude_bench_dispatch`, on the PostgreSQL
server of DATABASE_URL if that is PostgreSQL, else of BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/). Without a reachable server it says so and skips.
"""

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
WORK_DIR = PROJECT / "var" / "bench" / "dispatch"
DATABASE = "interlude_bench_dispatch"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
RAW_ROWS = 3000
THROUGHPUT_ROWS = 3000
DISPATCHER_COUNTS = (1, 2, 4)
LOAD_PER_SECOND = 100
LOAD_SECONDS = 20
LOAD_DISPATCHERS = 2
TARGET_RATIO = 0.5
TARGET_P99 = 2.0
# Rows fall due this long after they are committed, so every dispatcher sees all of them at once.
DUE_DELAY = timedelta(seconds=1)


def server_url(environ):
    url = environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in ("postgres", "postgresql", "pgsql"):
        url = environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER)
    return url


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def run(environ):
    """Run the dispatch bench in its own process (its own Django settings); print its report."""
    env = dict(environ)
    env["BENCH_POSTGRES_URL"] = server_url(environ)
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    completed = subprocess.run([sys.executable, "-m", "bench.dispatch"], env=env, cwd=PROJECT,
                               check=False)
    return completed.returncode


def admin_connection(url):
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=3)


def create_database(url):
    """A fresh bench database; returns None, or why PostgreSQL cannot be used."""
    import psycopg

    try:
        with admin_connection(url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {DATABASE}")
    except psycopg.Error as exc:
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0]}"
    return None


def drop_database(url):
    from django.db import connections

    connections.close_all()
    with admin_connection(url) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def setup_django(url):
    shutil.rmtree(WORK_DIR, ignore_errors=True)  # logs and the sink's records of the last run
    WORK_DIR.mkdir(parents=True)
    os.environ.update(DATABASE_URL=with_database(url, DATABASE), INTERLUDE_MODE="dev",
                      INTERLUDE_VAR_DIR=str(WORK_DIR.parent),
                      DJANGO_SETTINGS_MODULE="interlude.settings", LOG_LEVEL="WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- the measurements -------------------------------------------------------------------------

def seed(practice, count, prefix, due_at):
    """`count` due email deliveries, committed together so they all fall due at once."""
    from django.db import transaction

    from interlude.outreach.models import Delivery

    rows = [Delivery(practice=practice, channel="email", kind="bench", due_at=due_at,
                     address=f"client{n}@example.org", subject="Appointment reminder",
                     body="You have an appointment soon.", idempotency_key=f"{prefix}-{n}")
            for n in range(count)]
    with transaction.atomic():
        Delivery.objects.bulk_create(rows, batch_size=1000)


def clear():
    from interlude.outreach.models import Delivery

    Delivery.objects.all().delete()


def raw_claim_rate(practice):
    """Deliveries per second through the dispatcher's claim and "sent" statements alone."""
    from django.utils import timezone

    from interlude.outreach.dispatcher import Dispatcher

    seed(practice, RAW_ROWS, "raw", timezone.now())
    dispatcher = Dispatcher(name="bench-raw")
    done = 0
    started = time.perf_counter()
    while batch := dispatcher.claim():
        for delivery in batch:
            done += dispatcher._record_sent(delivery, timezone.now())
    elapsed = time.perf_counter() - started
    if done != RAW_ROWS:
        raise SystemExit(f"raw claim loop marked {done} of {RAW_ROWS} rows sent")
    clear()
    return done / elapsed


def wait_all_sent(expected, timeout):
    from interlude.outreach.models import Delivery

    deadline = time.monotonic() + timeout
    while Delivery.objects.filter(state=Delivery.State.SENT).count() < expected:
        if time.monotonic() > deadline:
            raise SystemExit(f"dispatch bench: not all {expected} deliveries were sent within "
                             f"{timeout} s; see the logs in {WORK_DIR}")
        time.sleep(0.05)


def throughput(practice, env, processes):
    """Deliveries per second for `processes` dispatchers, from due time to the last sent."""
    from django.db.models import Max
    from django.utils import timezone

    from interlude.outreach.models import Delivery
    from tests.support.processes import dispatchers

    names = [f"bench-{processes}-{n}" for n in range(processes)]
    with dispatchers(names, env, WORK_DIR) as running:
        due_at = timezone.now() + DUE_DELAY
        seed(practice, THROUGHPUT_ROWS, f"throughput-{processes}", due_at)
        wait_all_sent(THROUGHPUT_ROWS, 120)
        for dispatcher in running:
            dispatcher.terminate()
    last = Delivery.objects.aggregate(last=Max("sent_at"))["last"]
    clear()
    return THROUGHPUT_ROWS / (last - due_at).total_seconds()


def lateness(practice, env):
    """Lateness (sent_at - due_at) in seconds of a steady load of deliveries due now."""
    from django.utils import timezone

    from interlude.outreach.models import Delivery
    from tests.support.processes import dispatchers

    names = [f"bench-load-{n}" for n in range(LOAD_DISPATCHERS)]
    per_tick, tick = LOAD_PER_SECOND // 10, 0.1
    with dispatchers(names, env, WORK_DIR) as running:
        started = time.monotonic()
        for number in range(LOAD_SECONDS * 10):
            time.sleep(max(0.0, started + number * tick - time.monotonic()))
            rows = [Delivery(practice=practice, channel="email", kind="bench",
                             due_at=timezone.now(), address=f"client{n}@example.org",
                             subject="Appointment reminder", body="You have an appointment.",
                             idempotency_key=f"load-{number}-{n}") for n in range(per_tick)]
            Delivery.objects.bulk_create(rows)
        produced_in = time.monotonic() - started
        wait_all_sent(LOAD_SECONDS * LOAD_PER_SECOND, 60)
        for dispatcher in running:
            dispatcher.terminate()
    values = sorted((sent - due).total_seconds() for due, sent in
                    Delivery.objects.values_list("due_at", "sent_at"))
    clear()
    return values, produced_in


# --- the report -------------------------------------------------------------------------------

def percentile(ordered, fraction):
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(raw, rates, late, produced_in, seconds):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"\nInterlude dispatch bench: PostgreSQL {version}, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs; SMTP sink (aiosmtpd) in its own process; measured in "
          f"{seconds:.0f}s\n")
    print(f"{'what':<52}{'deliveries/s':>14}{'x raw':>8}")
    print(f"{'raw claim + sent update, 1 process, no sending':<52}{raw:>14.0f}{1:>8.2f}")
    for processes, rate in rates.items():
        label = f"dispatch to SMTP, {processes} dispatcher{'s' if processes > 1 else ''}"
        print(f"{label:<52}{rate:>14.0f}{rate / raw:>8.2f}")
    median, p99 = statistics.median(late), percentile(late, 0.99)
    load = len(late) / produced_in
    print(f"\nlateness (sent - due) of {len(late):,} deliveries at {load:.0f}/s with "
          f"{LOAD_DISPATCHERS} dispatchers: median {median * 1000:.0f} ms, p99 "
          f"{p99 * 1000:.0f} ms, max {late[-1] * 1000:.0f} ms\n")
    for processes, rate in rates.items():
        ratio = rate / raw
        print(f"{'PASS' if ratio >= TARGET_RATIO else 'over target'}: {processes} "
              f"dispatcher(s) at {ratio:.2f}x the raw claim rate (target at least "
              f"{TARGET_RATIO}x)")
    print(f"{'PASS' if p99 < TARGET_P99 else 'over target'}: lateness p99 {p99:.2f} s at "
          f"{load:.0f} deliveries/s (target under {TARGET_P99:.0f} s at {LOAD_PER_SECOND}/s)")


def measure(url):
    from interlude.accounts.models import Practice
    from tests.support.processes import dispatcher_env
    from tests.support.smtp_sink import SmtpSink

    started = time.monotonic()
    practice = Practice.objects.create(name="Bench Practice", slug="bench-dispatch")
    raw = raw_claim_rate(practice)
    with ExitStack() as stack:
        sink = stack.enter_context(SmtpSink(WORK_DIR / "sink", process=True))
        env = dispatcher_env({"DATABASE_URL": with_database(url, DATABASE),
                              "INTERLUDE_VAR_DIR": str(WORK_DIR.parent)}, sink.port,
                             LOG_LEVEL="WARNING")
        rates = {count: throughput(practice, env, count) for count in DISPATCHER_COUNTS}
        late, produced_in = lateness(practice, env)
    report(raw, rates, late, produced_in, time.monotonic() - started)


def main():
    url = os.environ.get("BENCH_POSTGRES_URL") or server_url(os.environ)
    problem = create_database(url)
    if problem:
        print(f"\nDispatch bench skipped: PostgreSQL at {urlsplit(url).hostname}:"
              f"{urlsplit(url).port or 5432} cannot create {DATABASE} ({problem}). Set "
              "BENCH_POSTGRES_URL to a server where this user may create databases.")
        return 0
    try:
        setup_django(url)
        measure(url)
    finally:
        drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
