"""The audit trail is tamper-evident: `verify` finds the first broken link after raw SQL edits.

The edits go around the ORM and drop the database's append-only triggers first, as someone
holding the database file (or a superuser) could.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from interlude.audit.models import AuditEvent, AuditHead
from interlude.audit.service import GENESIS_HASH, record, verify_chain

pytestmark = pytest.mark.django_db


def drop_append_only_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent")


def raw(sql, params=()):
    drop_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def five_events():
    return [record(None, "view", "ConnectionAgreement", n, client=n, detail={"version": n})
            for n in range(1, 6)]


def test_it_links_each_event_to_the_one_before():
    events = five_events()
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS_HASH
    for earlier, later in zip(events, events[1:], strict=False):
        assert later.prev_hash == earlier.hash
    head = AuditHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (5, events[-1].hash)


def test_it_verifies_an_untouched_trail():
    five_events()
    report = verify_chain()
    assert report.ok
    assert report.checked == 5


def test_it_verifies_across_batches():
    five_events()
    report = verify_chain(batch_size=2)
    assert (report.checked, report.broken_seq) == (5, None)


def test_it_reports_the_event_whose_row_was_altered():
    five_events()
    raw("UPDATE audit_auditevent SET detail = %s WHERE seq = %s", ['{"version": 99}', 3])
    report = verify_chain()
    assert report.broken_seq == 3
    assert report.reason == "the event was altered after it was written"
    assert report.checked == 2


def test_it_reports_a_rewritten_event_at_the_next_link():
    events = five_events()
    forged = AuditEvent.objects.get(seq=2)
    forged.action = "create"
    raw("UPDATE audit_auditevent SET action = %s, hash = %s WHERE seq = %s",
        ["create", forged.compute_hash(), 2])
    assert AuditEvent.objects.get(seq=2).hash != events[1].hash
    report = verify_chain()
    assert report.broken_seq == 3
    assert report.reason == "the link to the previous event does not match"


def test_it_reports_a_deleted_event_in_the_middle():
    five_events()
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [3])
    report = verify_chain()
    assert report.broken_seq == 3
    assert report.reason == "this event is missing (deleted)"


def test_it_reports_events_deleted_at_the_end():
    five_events()
    raw("DELETE FROM audit_auditevent WHERE seq >= %s", [4])
    assert AuditEvent.objects.count() == 3
    report = verify_chain()
    assert report.broken_seq == 4
    assert report.reason == "events at the end of the trail were deleted"


def test_it_prints_ok_and_the_count_from_the_command():
    five_events()
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "5 events checked: OK"


def test_it_exits_non_zero_naming_the_broken_link_from_the_command():
    five_events()
    raw("UPDATE audit_auditevent SET object_id = %s WHERE seq = %s", ["77", 4])
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", stdout=out)
    assert failure.value.returncode == 1
    assert "broken at event 4" in str(failure.value)
    assert "altered" in str(failure.value)
    assert "OK" not in out.getvalue()


def test_it_shows_the_newest_events_with_tail():
    five_events()
    out = StringIO()
    call_command("audit", "tail", "-n", "2", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("#5 ") and lines[1].startswith("#4 ")
    assert "view ConnectionAgreement 5 client=5" in lines[0]


def test_it_starts_the_chain_from_the_head_row_the_migration_made():
    # The row exists before any event, so the first two writers cannot both create it.
    assert AuditHead.objects.filter(pk=1, last_seq=0).exists()
    assert record(None, "view", "Thing").seq == 1
    assert AuditHead.objects.count() == 1


def test_the_hot_path_sql_names_the_head_models_table():
    from interlude.audit import service
    from interlude.audit.models import AuditHead

    table = AuditHead._meta.db_table
    assert f"FROM {table} " in service.READ_HEAD
    assert service.MOVE_HEAD.startswith(f"UPDATE {table} ")
