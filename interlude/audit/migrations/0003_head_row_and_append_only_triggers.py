"""The chain's head row, created once, and database triggers that keep the trail append-only.

The head row exists before the first event is written, so two first writers can never both
insert it: `record()` only ever locks an existing row (SELECT ... FOR UPDATE).

Triggers (the ORM refuses too; these also stop raw SQL from the application):
- PostgreSQL: UPDATE and DELETE of audit_auditevent raise. TRUNCATE is a separate privilege
  that Django's `flush` (and the test suite) uses; revoke it from the application's role in
  production. A database superuser can still disable the trigger; `interlude audit verify`
  is what detects such tampering.
- SQLite: UPDATE raises. DELETE stays possible because Django's `flush` (and every test that
  runs in a real transaction) empties tables with DELETE, and SQLite has no per-session switch
  to tell it apart. Anyone holding the file can drop triggers anyway: the hash chain is the guard.
"""

from django.db import migrations

SQLITE_INSTALL = [
    """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_update
    BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE refused');
    END;
    """,
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS audit_event_no_update;"]

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION USING MESSAGE = 'the audit trail is append-only: ' || TG_OP || ' refused';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_append_only();",
]


def _run(schema_editor, statements):
    for statement in statements:
        # No parameters: the SQL is passed through untouched by placeholder parsing.
        schema_editor.execute(statement, params=None)


def install_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_INSTALL)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_INSTALL)


def remove_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_REMOVE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_REMOVE)


def create_head(apps, schema_editor):
    AuditHead = apps.get_model("audit", "AuditHead")
    AuditHead.objects.get_or_create(pk=1)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_practice_seq_index"),
    ]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
