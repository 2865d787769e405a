"""Clinical free text is stored as ciphertext: a copy of the database without the keys
shows none."""

import sqlite3
from contextlib import closing

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import override_settings

from interlude.agreements.models import ConnectionAgreement
from interlude.core.crypto import PREFIX, DecryptionError, decrypt, encrypt
from tests import factories

NOTES = "Client disclosed panic attacks at work"
TABLE = ConnectionAgreement._meta.db_table


def stored_notes(pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT notes FROM {TABLE} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def whole_table():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TABLE}")
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


@pytest.fixture
def world():
    return factories.world()


@pytest.mark.django_db
def test_it_stores_notes_as_ciphertext_only(world):
    agreement = factories.agreement(world.client, notes=NOTES)
    raw = stored_notes(agreement.pk)
    assert raw.startswith(PREFIX)
    assert NOTES not in raw
    for word in ("panic", "attacks", "disclosed"):
        assert word not in raw.lower()
        assert word not in whole_table().lower()


@pytest.mark.django_db
def test_it_gives_the_plaintext_back_through_the_orm(world):
    agreement = factories.agreement(world.client, notes=NOTES)
    assert ConnectionAgreement.objects.get(pk=agreement.pk).notes == NOTES
    assert decrypt(stored_notes(agreement.pk)) == NOTES


@pytest.mark.django_db
def test_it_encrypts_the_same_text_differently_each_time(world):
    first = factories.agreement(world.client, version=1, notes=NOTES)
    second = factories.agreement(world.client, version=2, notes=NOTES)
    assert stored_notes(first.pk) != stored_notes(second.pk)


@pytest.mark.django_db
def test_it_keeps_empty_notes_empty(world):
    agreement = factories.agreement(world.client, notes="")
    assert stored_notes(agreement.pk) == ""
    assert ConnectionAgreement.objects.get(pk=agreement.pk).notes == ""


@pytest.mark.django_db
def test_it_refuses_clearly_to_read_notes_with_the_wrong_keys(world):
    agreement = factories.agreement(world.client, notes=NOTES)
    with (
        override_settings(ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(DecryptionError) as failure,
    ):
        ConnectionAgreement.objects.get(pk=agreement.pk)
    assert isinstance(failure.value, ValueError)
    assert "No key in the ring can decrypt this value" in str(failure.value)
    assert NOTES not in str(failure.value)
    assert ConnectionAgreement.objects.get(pk=agreement.pk).notes == NOTES


def test_it_refuses_values_that_are_not_ciphertext():
    with pytest.raises(DecryptionError, match="not Interlude ciphertext"):
        decrypt(NOTES)
    token = encrypt(NOTES)
    altered = token[:30] + ("B" if token[30] != "B" else "C") + token[31:]
    with pytest.raises(DecryptionError, match="No key in the ring"):
        decrypt(altered)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="copies the SQLite database file")
@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_clinical_text_in_a_copy_of_the_database_file(tmp_path):
    home = factories.practice()
    client = factories.client(factories.clinician(home))
    agreement = factories.agreement(client, notes=NOTES)
    copy = tmp_path / "stolen.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    data = copy.read_bytes()
    assert client.display_name.encode() in data  # the copy really holds this practice's rows
    assert b"panic" not in data.lower()
    assert b"disclosed" not in data.lower()
    with closing(sqlite3.connect(copy)) as stolen:
        (raw,) = stolen.execute(f"SELECT notes FROM {TABLE} WHERE id = ?",
                                [agreement.pk]).fetchone()
    assert raw.startswith(PREFIX) and NOTES not in raw
