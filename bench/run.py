"""`make bench`: the clinician's client list and a client's agreement page against a trivial
view, timed side by side on one server in one run, and the client list's query count with 10
and with 1,000 clients.

Targets: each page's median within 3x of /ping/'s; the query count the same for both sizes.
The yardstick is /ping/ requested with the same signed-in session as the pages, so the ratio
isolates each page's own work from what every signed-in request pays (session, user, second
factor); /ping/ without a session is shown too, so that cost stays visible.
The bench builds its own SQLite database under var/bench/, so the development database is
never touched.

Then the triage bench (bench/triage.py): a client's send request on the same server, and the
triage engine's speed on one core.

Then the dispatch bench (bench/dispatch.py) reports the outbox dispatcher's throughput and
lateness on PostgreSQL.
"""

import os
import platform
import sqlite3
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT / "var" / "bench"
ROUNDS = 300
WARMUP = 30
THREADS = 8
TARGET_RATIO = 3.0
SIZES = (1000, 10)


def prepare():
    """Point Django at a fresh bench database before anything imports the settings."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for path in BENCH_DIR.glob("interlude.sqlite3*"):
        path.unlink()
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(INTERLUDE_MODE="dev", INTERLUDE_VAR_DIR=str(BENCH_DIR),
                      DJANGO_SETTINGS_MODULE="interlude.settings")
    import django

    django.setup()


def first_row(clinician):
    return clinician.clients.order_by("display_name", "pk").first()


def list_queries(clinician):
    """Queries to render /clients/ for the clinician, counted in this process after a warm-up."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, expected_name = clinician.user, first_row(clinician).display_name
    browser = Client(HTTP_HOST="127.0.0.1")
    browser.force_login(user)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    browser.get("/clients/")
    with CaptureQueriesContext(connection) as captured:
        response = browser.get("/clients/")
    if response.status_code != 200 or expected_name not in response.content.decode():
        raise SystemExit(f"/clients/ for {user.email} answered {response.status_code} "
                         "without the expected rows")
    return len(captured.captured_queries)


def targets(clinician):
    from django.urls import reverse

    from bench.server import signed_in_cookie

    client = first_row(clinician)
    agreement = client.agreements.order_by("-version").first()
    cookie = signed_in_cookie(clinician.user)
    clients = clinician.clients.count()
    return [
        ("/ping/ (signed in)", reverse("ping"), cookie),
        ("/ping/ (anonymous)", reverse("ping"), None),
        (f"client list, {clients:,} clients, page 1", reverse("client_list"), cookie),
        ("agreement page", reverse("agreement_detail", args=[client.pk, agreement.version]),
         cookie),
    ]


def report(stats, queries, seconds):
    signed_in, anonymous = stats["/ping/ (signed in)"], stats["/ping/ (anonymous)"]
    print(f"\nInterlude bench: one run, one server (waitress, {THREADS} threads), SQLite "
          f"{sqlite3.sqlite_version}, Python {platform.python_version()}, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {ROUNDS} rounds after {WARMUP} "
          f"warm-up, pages interleaved; built and measured in {seconds:.0f}s\n")
    print(f"{'page':<38}{'median ms':>10}{'p95 ms':>8}{'x ping':>8}{'x anon':>8}"
          f"{'server CPU ms':>15}{'x ping':>8}")
    for label, (median, p95, cpu) in stats.items():
        print(f"{label:<38}{median:>10.2f}{p95:>8.2f}{median / signed_in[0]:>8.2f}"
              f"{median / anonymous[0]:>8.2f}{cpu:>15.2f}{_ratio(cpu, signed_in[2]):>8}")
    print(f"\nqueries for /clients/: {queries[10]} with 10 clients, "
          f"{queries[1000]} with 1,000 clients\n")
    for label, (median, _p95, cpu) in list(stats.items())[2:]:
        ratio = median / signed_in[0]
        verdict = "PASS" if ratio <= TARGET_RATIO else "over target"
        print(f"{verdict}: {label} at {ratio:.2f}x the signed-in /ping/ "
              f"(server CPU {_ratio(cpu, signed_in[2])}x; target within {TARGET_RATIO:.0f}x)")
    flat = queries[10] == queries[1000]
    print(f"{'PASS' if flat else 'over target'}: client list query count "
          f"{queries[10]} -> {queries[1000]} (target: flat)")


def _ratio(value, baseline):
    return f"{value / baseline:.2f}" if baseline else "n/a"


def main():
    started = time.monotonic()
    # The page bench runs on SQLite in this process; the dispatch bench needs the caller's
    # environment (a PostgreSQL DATABASE_URL, if any) in a process of its own.
    environ = dict(os.environ)
    prepare()
    from django.core.management import call_command

    from bench import data, server, triage

    call_command("migrate", verbosity=0)
    clinicians = data.build(SIZES)
    pages = targets(clinicians[1000])
    # The pages alone: the in-server dispatcher's polling is measured by the dispatch bench.
    env = {**os.environ, "DISPATCH_IN_SERVER": "false"}
    with server.running_server(env, BENCH_DIR / "serve.log", THREADS) as (port, pid):
        samples, cpu = server.measure(port, pid, pages, ROUNDS, WARMUP)
        stats = {label: (*server.summary(values), cpu[label] * 1000 / len(values))
                 for label, values in samples.items()}
        queries = {size: list_queries(clinicians[size]) for size in SIZES}
        report(stats, queries, time.monotonic() - started)
        sys.stdout.flush()
        triage.run_send(port, clinicians[10])
    triage.run()
    sys.stdout.flush()
    if environ.get("BENCH_PAGES_ONLY"):
        return 0
    from bench import dispatch

    return dispatch.run(environ)


if __name__ == "__main__":
    sys.exit(main())
