"""The database unreachable for a while: the dispatcher waits, sends nothing meanwhile beyond
the message in hand, and resumes when the database is back; nothing is lost or repeated.

- PostgreSQL: the dispatchers reach the database through a TCP proxy the test cuts for 3 s,
  twice: open connections are reset and new ones refused, as when the server goes away.
- SQLite: the test holds the database's write lock (BEGIN IMMEDIATE) for 3 s, as a long write
  by another process would.

Each outage is shorter than the lease, so no row changes hands: an outcome the dispatcher could
not record during the outage is recorded when the database is back, and no message is sent
twice.
"""

import time

import pytest
from django.db import connection

from tests.support.fault_run import count
from tests.support.processes import (
    PostgresDatabase,
    SqliteDatabase,
    dispatcher_env,
    dispatchers,
    wait_for,
)
from tests.support.smtp_sink import SmtpSink
from tests.support.tcp_proxy import TcpProxy

DELIVERIES = 3000
OUTAGE_SECONDS = 3
LEASE_SECONDS = 15
SINK_DELAY = 0.001
# After the outage starts, a dispatcher may still finish the send it had begun.
SENDS_IN_HAND = 1


def outage(sink, dispatchers_, begin, end):
    """Run the outage (`begin()` ... `end()`); returns messages received during it, after a
    moment's grace for the sends already in hand."""
    begin()
    try:
        time.sleep(0.5)
        before = sink.received_count()
        time.sleep(OUTAGE_SECONDS - 0.5)
        during = sink.received_count() - before
        alive = [dispatcher.name for dispatcher in dispatchers_ if dispatcher.alive()]
    finally:
        end()
    assert alive == [dispatcher.name for dispatcher in dispatchers_], (
        "a dispatcher died while the database was unreachable: "
        + "".join(dispatcher.log()[-2000:] for dispatcher in dispatchers_))
    return during


def finish(database, sink, keys, running, received_during):
    wait_for(lambda: database.states().get("sent", 0) >= len(keys), 120, interval=0.2,
             message=lambda: f"all deliveries sent (states now {database.states()})")
    assert {dispatcher.name: dispatcher.terminate() for dispatcher in running} == {
        dispatcher.name: 0 for dispatcher in running}
    report = count(keys, sink, database, [], 0)
    line = (f"lost={len(report.lost)} duplicated={report.duplicated} "
            f"delivered={report.delivered} received_during_outages={received_during} "
            f"states={report.states}")
    assert received_during == [0] * len(received_during), line
    assert report.lost == [], line
    assert report.duplicated == 0, f"{line}; {report.duplicated_keys[:10]}"
    assert report.states == {"sent": len(keys)}, line
    return line


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="PostgreSQL only: the SQLite variant below runs instead")
def test_it_waits_for_postgresql_to_come_back_and_loses_nothing(tmp_path, record_property):
    database = PostgresDatabase()
    keys = database.seed(DELIVERIES, "pg-down")
    target = database.settings
    with (SmtpSink(tmp_path / "sink", delay=SINK_DELAY, process=True) as sink,
          TcpProxy(target["HOST"] or "127.0.0.1", int(target["PORT"] or 5432)) as proxy):
        env = dispatcher_env(database.env(port=proxy.port), sink.port,
                             lease_seconds=LEASE_SECONDS)
        with dispatchers(["pg-down-a", "pg-down-b"], env, tmp_path) as running:
            received_during = []
            for fraction in (0.2, 0.5):
                wait_for(lambda fraction=fraction: sink.received_count() >= fraction * len(keys),
                         60, message=f"{fraction:.0%} of the messages sent")
                received_during.append(outage(sink, running, proxy.cut, proxy.restore))
            line = finish(database, sink, keys, running, received_during)
            logs = [dispatcher.log() for dispatcher in running]
    record_property("database_down", line)
    assert all("database unavailable" in log for log in logs), (
        f"a dispatcher never noticed the outage: {line}")


@pytest.mark.skipif(connection.vendor != "sqlite",
                    reason="SQLite only: the PostgreSQL variant above runs instead")
def test_it_waits_for_a_locked_sqlite_database_and_loses_nothing(tmp_path, record_property):
    database = SqliteDatabase(tmp_path / "db")
    with SmtpSink(tmp_path / "sink", delay=SINK_DELAY, process=True) as sink:
        env = dispatcher_env(database.env(), sink.port, lease_seconds=LEASE_SECONDS)
        keys = database.prepare(env, DELIVERIES, "sqlite-locked")
        with dispatchers(["sqlite-locked"], env, tmp_path) as running:
            received_during = []
            for fraction in (0.2, 0.5):
                wait_for(lambda fraction=fraction: sink.received_count() >= fraction * len(keys),
                         60, message=f"{fraction:.0%} of the messages sent")
                with database.write_lock():
                    received_during.append(outage(sink, running, lambda: None, lambda: None))
            line = finish(database, sink, keys, running, received_during)
    record_property("database_locked", line)
