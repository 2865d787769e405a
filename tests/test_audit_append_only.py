"""Audit events are written once and never changed or removed, through the ORM or raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from interlude.audit.models import AppendOnlyError, AuditEvent
from interlude.audit.service import record, verify_chain
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    record(None, "view", "ConnectionAgreement", 1)
    return record(None, "view", "ConnectionAgreement", 2, detail={"version": 2})


def stored(event):
    return AuditEvent.objects.values("action", "object_id", "detail").get(pk=event.pk)


def test_it_refuses_to_save_an_existing_event_again(event):
    event.action = "delete"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert stored(event)["action"] == "view"


def test_it_refuses_to_save_selected_fields_of_an_event(event):
    event.object_id = "9"
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["object_id"])
    assert stored(event)["object_id"] == "2"


def test_it_refuses_to_delete_an_event(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_a_queryset_update(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="delete")
    assert stored(event)["action"] == "view"


def test_it_refuses_a_queryset_delete(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 2


def test_it_refuses_bulk_writes_that_skip_the_chain(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])
    copy = AuditEvent(seq=99, action="view", object_type="X", prev_hash="0" * 64, hash="f" * 64)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([copy])
    assert AuditEvent.objects.count() == 2


def test_it_refuses_an_event_written_around_the_service():
    loose = AuditEvent(seq=1, action="view", object_type="X", prev_hash="0" * 64)
    with pytest.raises(AppendOnlyError):
        loose.save()
    assert AuditEvent.objects.count() == 0


def test_it_refuses_to_delete_a_person_the_trail_names():
    home = factories.practice()
    admin = factories.admin(home)
    record(admin, "view", "AuditTrail")
    with pytest.raises(ProtectedError):
        admin.delete()
    assert AuditEvent.objects.filter(actor=admin).count() == 1


def test_it_refuses_a_raw_sql_update_in_the_database(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = %s WHERE id = %s",
                       ["delete", event.pk])
    assert stored(event)["action"] == "view"
    assert verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite keeps DELETE open for Django's flush; the hash chain guards it")
def test_it_refuses_a_raw_sql_delete_on_postgresql(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
