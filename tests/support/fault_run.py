"""The kill-and-restart run shared by the PostgreSQL and SQLite fault tests.

Dispatchers send every due delivery to a real SMTP server; midway one of them is killed with
SIGKILL and started again. Then the server's log is counted by idempotency key:

- lost: keys that never reached the server (must be none);
- duplicated: extra copies of keys that did (allowed only for sends a kill interrupted);
- in-flight bound: the most copies the kills may explain, one per kill, since a dispatcher
  sends one message at a time and records each right after sending it.

A duplicate is also checked to be one of the rows the killed dispatcher held at the moment of
the kill, and every copy to carry the Message-ID derived from its key, so a receiver can tell
it is the same message.
"""

import time
from dataclasses import dataclass, field

from interlude.outreach.channels.email import message_id_for

from .processes import DispatcherProcess, wait_for

SENDS_IN_FLIGHT_PER_DISPATCHER = 1


@dataclass
class Kill:
    name: str
    received_before: int
    held_keys: set = field(default_factory=set)


@dataclass
class FaultReport:
    expected: int
    delivered: int
    lost: list
    duplicated: int
    duplicated_keys: list
    kills: list
    states: dict
    wrong_message_ids: list
    seconds: float

    @property
    def in_flight_bound(self):
        return len(self.kills) * SENDS_IN_FLIGHT_PER_DISPATCHER

    @property
    def held_at_kill(self):
        return set().union(*(kill.held_keys for kill in self.kills)) if self.kills else set()

    def line(self):
        return (f"lost={len(self.lost)} duplicated={self.duplicated} "
                f"in_flight_bound={self.in_flight_bound} delivered={self.delivered} "
                f"(expected {self.expected}; kills {len(self.kills)} after "
                f"{[kill.received_before for kill in self.kills]} received; rows the victims "
                f"held {[len(kill.held_keys) for kill in self.kills]}; states {self.states}; "
                f"{self.seconds:.1f} s)")

    def record(self, record_property):
        for name in ("duplicated", "delivered", "in_flight_bound", "seconds"):
            record_property(name, getattr(self, name))
        record_property("lost", len(self.lost))


def kill_and_restart(dispatcher: DispatcherProcess, database, sink, new_name=None):
    """SIGKILL `dispatcher`, note what it held, start it again.

    Under the same name it takes its predecessor's rows back at once; under `new_name` (as a
    dispatcher with a generated name would come back) those rows wait for their lease to
    expire and go to whichever dispatcher claims first."""
    received_before = sink.received_count()
    dispatcher.kill()
    kill = Kill(dispatcher.name, received_before, database.claimed_keys(dispatcher.name))
    if new_name:
        dispatcher.name = new_name
    dispatcher.start()
    return kill


def run_with_kills(*, database, sink, keys, running, kills, timeout=120):
    """With `running` dispatchers at work, kill each victim of `kills` ((fraction, dispatcher,
    name to restart under or None for the same) triples) once that fraction of `keys` reached
    the sink, and restart it; wait until every row is sent, stop them all with SIGTERM and
    count."""
    started = time.monotonic()
    expected = len(keys)
    done = []
    for fraction, victim, new_name in kills:
        wait_for(lambda fraction=fraction: sink.received_count() >= expected * fraction,
                 timeout, message=f"{fraction:.0%} of {expected} messages at the SMTP sink")
        done.append(kill_and_restart(victim, database, sink, new_name))
    wait_for(lambda: database.states().get("sent", 0) >= expected, timeout, interval=0.2,
             message=lambda: f"all {expected} deliveries sent (states now {database.states()})")
    exits = {dispatcher.name: dispatcher.terminate() for dispatcher in running}
    assert exits == {dispatcher.name: 0 for dispatcher in running}, (
        f"dispatchers did not stop cleanly on SIGTERM: {exits}")
    return count(keys, sink, database, done, time.monotonic() - started)


def count(keys, sink, database, kills, seconds):
    received = sink.received()
    by_key = sink.count_by_key()
    return FaultReport(
        expected=len(keys),
        delivered=len(set(keys) & set(by_key)),
        lost=sorted(set(keys) - set(by_key)),
        duplicated=sum(copies - 1 for copies in by_key.values()),
        duplicated_keys=sorted(key for key, copies in by_key.items() if copies > 1),
        kills=kills,
        states=database.states(),
        wrong_message_ids=[message for message in received
                           if message.message_id != message_id_for(message.key)],
        seconds=seconds,
    )


def assert_nothing_lost_or_repeated(report: FaultReport):
    line = report.line()
    assert report.lost == [], f"{line}; lost keys (first 10): {report.lost[:10]}"
    assert report.delivered == report.expected, line
    assert report.states == {"sent": report.expected}, line
    assert report.duplicated <= report.in_flight_bound, (
        f"{line}; duplicated keys: {report.duplicated_keys[:20]}")
    assert set(report.duplicated_keys) <= report.held_at_kill, (
        f"{line}; duplicates the kill cannot explain: "
        f"{sorted(set(report.duplicated_keys) - report.held_at_kill)[:20]}")
    for kill in report.kills:
        repeated = sorted(kill.held_keys & set(report.duplicated_keys))
        assert len(repeated) <= SENDS_IN_FLIGHT_PER_DISPATCHER, (
            f"{line}; the kill of {kill.name} repeated more than its send in flight: {repeated}")
    assert report.wrong_message_ids == [], (
        f"{line}; copies without their key's Message-ID: {report.wrong_message_ids[:5]}")
