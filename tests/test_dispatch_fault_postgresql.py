"""Fault test on PostgreSQL: two dispatchers on 10,000 due deliveries; one is killed with
SIGKILL at 30% and restarted under its name (it takes its rows back at once), then the other at
60% and restarted under a new name (its rows come back when their lease expires). None is
lost; none reaches the SMTP server twice except a send a kill interrupted, resent with the same
idempotency key.

Runs when the suite runs on PostgreSQL (CI's second run); test_dispatch_fault_sqlite.py is its
SQLite counterpart.
"""

import pytest
from django.db import connection

from tests.support.fault_run import assert_nothing_lost_or_repeated, run_with_kills
from tests.support.processes import PostgresDatabase, dispatcher_env, dispatchers
from tests.support.smtp_sink import SmtpSink

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="PostgreSQL fault test: the suite runs on SQLite here "
                              "(set DATABASE_URL to a PostgreSQL database to run it)"),
]

DELIVERIES = 10_000
# Long enough per message that the kill is likely to land during a send, short enough that
# the run takes seconds.
SINK_DELAY = 0.001


def test_it_loses_none_and_repeats_only_the_interrupted_send(tmp_path, record_property,
                                                                capsys):
    database = PostgresDatabase()
    keys = database.seed(DELIVERIES, "pg-fault")
    with SmtpSink(tmp_path / "sink", delay=SINK_DELAY, process=True) as sink:
        env = dispatcher_env(database.env(), sink.port, lease_seconds=5)
        with dispatchers(["pg-a", "pg-b"], env, tmp_path) as running:
            first, second = running
            report = run_with_kills(database=database, sink=sink, keys=keys, running=running,
                                    kills=[(0.3, first, None), (0.6, second, "pg-c")])
    report.record(record_property)
    with capsys.disabled():
        print(f"\nPostgreSQL, 2 dispatchers, 2 SIGKILLs: {report.line()}")
    assert_nothing_lost_or_repeated(report)
