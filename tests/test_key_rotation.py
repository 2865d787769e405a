"""`interlude keys rotate` re-encrypts clinical text with the newest key, so old keys can go."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from interlude.agreements.models import ConnectionAgreement
from interlude.core import crypto
from tests import factories

pytestmark = pytest.mark.django_db

TABLE = ConnectionAgreement._meta.db_table
NOTES = ["Client disclosed panic attacks at work", "Sleep worse since the move",
         "Agreed to text only on weekdays"]


def new_key():
    return Fernet.generate_key().decode()


def stored_notes():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, notes FROM {TABLE} ORDER BY id")
        return dict(cursor.fetchall())


def notes_by_id():
    return dict(ConnectionAgreement.objects.order_by("id").values_list("id", "notes"))


@pytest.fixture
def old_key():
    return new_key()


@pytest.fixture
def agreements(old_key):
    client = factories.client(factories.clinician(factories.practice()))
    with override_settings(ENCRYPTION_KEYS=[old_key]):
        rows = [factories.agreement(client, version=n, notes=text)
                for n, text in enumerate(NOTES, start=1)]
        rows.append(factories.agreement(client, version=len(NOTES) + 1, notes=""))
    return rows


def rotate(*args):
    out = StringIO()
    call_command("keys", "rotate", *args, stdout=out)
    return out.getvalue()


def test_it_reencrypts_everything_so_the_old_key_can_be_removed(agreements, old_key):
    before = stored_notes()
    newest = new_key()
    with override_settings(ENCRYPTION_KEYS=[newest, old_key]):
        output = rotate("--batch-size", "2")
    assert "agreements.ConnectionAgreement.notes: 3 re-encrypted" in output
    after = stored_notes()
    for pk, raw in after.items():
        if before[pk]:
            assert raw != before[pk] and raw.startswith(crypto.PREFIX)
        else:
            assert raw == ""
    with override_settings(ENCRYPTION_KEYS=[newest]):
        assert list(notes_by_id().values()) == [*NOTES, ""]
    with override_settings(ENCRYPTION_KEYS=[old_key]), pytest.raises(crypto.DecryptionError):
        notes_by_id()


def test_it_encrypts_once_not_twice(agreements, old_key):
    newest = new_key()
    with override_settings(ENCRYPTION_KEYS=[newest, old_key]):
        rotate()
        decrypted = [crypto.decrypt(raw) for raw in stored_notes().values() if raw]
    assert decrypted == NOTES


def test_it_adds_a_new_key_to_the_development_key_file_first(agreements, old_key, tmp_path):
    key_file = tmp_path / "encryption_keys"
    key_file.write_text(old_key + "\n")
    with override_settings(ENCRYPTION_KEYS_FILE=key_file, ENCRYPTION_KEYS=[old_key]):
        output = rotate("--add-new")
        ring_after = list(settings.ENCRYPTION_KEYS)
    keys = crypto.read_key_file(key_file)
    assert len(keys) == 2 and keys[1] == old_key and keys[0] != old_key
    assert ring_after == keys
    assert "3 re-encrypted" in output
    with override_settings(ENCRYPTION_KEYS=[keys[0]]):
        assert list(notes_by_id().values()) == [*NOTES, ""]


def test_it_refuses_to_add_a_key_without_a_key_file(agreements, old_key):
    before = stored_notes()
    with (
        override_settings(ENCRYPTION_KEYS_FILE=None, ENCRYPTION_KEYS=[old_key]),
        pytest.raises(CommandError, match="only in development"),
    ):
        rotate("--add-new")
    assert stored_notes() == before


def test_it_refuses_to_add_a_key_when_the_keys_come_from_the_environment(agreements, old_key,
                                                                          tmp_path):
    key_file = tmp_path / "encryption_keys"
    key_file.write_text(new_key() + "\n")
    original = key_file.read_text()
    with (
        override_settings(ENCRYPTION_KEYS_FILE=key_file, ENCRYPTION_KEYS=[old_key]),
        pytest.raises(CommandError, match="ENCRYPTION_KEYS variable"),
    ):
        rotate("--add-new")
    assert key_file.read_text() == original


def test_it_stops_clearly_when_no_key_opens_a_value(agreements):
    before = stored_notes()
    with (
        override_settings(ENCRYPTION_KEYS=[new_key()]),
        pytest.raises(CommandError) as failure,
    ):
        rotate()
    message = str(failure.value)
    assert f"agreements.ConnectionAgreement.notes row {agreements[0].pk}" in message
    assert "No key in the ring" in message
    assert not any(text in message for text in NOTES)
    assert stored_notes() == before


def test_it_generates_a_working_fernet_key():
    out = StringIO()
    call_command("keys", "generate", stdout=out)
    key = out.getvalue().strip()
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"
    assert key not in settings.ENCRYPTION_KEYS

