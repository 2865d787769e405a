"""Fault test on SQLite: one dispatcher on 10,000 due deliveries, killed with SIGKILL at 30%
and restarted under its name (it takes its rows back at once), then killed at 60% and
restarted under a new name (its rows come back when their lease expires). None is lost; none
reaches the SMTP server twice except a send a kill interrupted, resent with the same
idempotency key.

The dispatcher runs with the embedded default's own database settings on a database file of
its own (see tests/support/processes.py: pytest-django's SQLite database is in memory, out of
another process's reach). Runs when the suite runs on SQLite; test_dispatch_fault_postgresql.py
is its PostgreSQL counterpart.
"""

import pytest
from django.db import connection

from tests.support.fault_run import assert_nothing_lost_or_repeated, run_with_kills
from tests.support.processes import SqliteDatabase, dispatcher_env, dispatchers
from tests.support.smtp_sink import SmtpSink

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite fault test: the suite runs on PostgreSQL here, where "
           "test_dispatch_fault_postgresql.py covers the dispatcher")

DELIVERIES = 10_000
SINK_DELAY = 0.0005


def test_it_loses_none_and_repeats_only_the_interrupted_send(tmp_path, record_property,
                                                                capsys):
    database = SqliteDatabase(tmp_path / "db")
    with SmtpSink(tmp_path / "sink", delay=SINK_DELAY, process=True) as sink:
        env = dispatcher_env(database.env(), sink.port, lease_seconds=3)
        keys = database.prepare(env, DELIVERIES, "sqlite-fault")
        with dispatchers(["sqlite-a"], env, tmp_path) as running:
            (only,) = running
            report = run_with_kills(database=database, sink=sink, keys=keys, running=running,
                                    kills=[(0.3, only, None), (0.6, only, "sqlite-b")])
    report.record(record_property)
    with capsys.disabled():
        print(f"\nSQLite, 1 dispatcher, 2 SIGKILLs: {report.line()}")
    assert_nothing_lost_or_repeated(report)
