"""Encryption at rest for clinical free text.

A key ring (MultiFernet) encrypts with the newest key and decrypts with any key in the ring,
so keys can be rotated: add a new key in front, run `interlude keys rotate`, then drop the old.

Stored values look like `enc1:<Fernet token>`; a copy of the database without the keys holds
no clinical text. Ciphertext is randomised, so encrypted columns cannot be searched or
compared in SQL: filter on other columns, then read.
"""

from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import ExpressionWrapper, F, TextField, Value

PREFIX = "enc1:"


class DecryptionError(ValueError):
    """A stored value is not Interlude ciphertext, or no key in the ring opens it."""


@lru_cache(maxsize=4)
def _ring(keys):
    if not keys:
        raise ImproperlyConfigured("ENCRYPTION_KEYS is empty: the key ring needs at least one key.")
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode()))
        except (ValueError, TypeError) as exc:
            # Name the position, never the key itself.
            raise ImproperlyConfigured(
                f"ENCRYPTION_KEYS: key number {position} is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes; `interlude keys generate` makes one)."
            ) from exc
    return MultiFernet(fernets)


def key_ring():
    """The ring for the keys in settings, newest first (cached per set of keys)."""
    return _ring(tuple(settings.ENCRYPTION_KEYS))


def generate_key():
    return Fernet.generate_key().decode("ascii")


def is_ciphertext(value):
    return isinstance(value, str) and value.startswith(PREFIX)


def _token(value):
    if not is_ciphertext(value):
        raise DecryptionError("The value is not Interlude ciphertext (no enc1: prefix).")
    try:
        return value[len(PREFIX):].encode("ascii")
    except UnicodeEncodeError as exc:
        raise DecryptionError("The value is damaged: ciphertext is plain ASCII.") from exc


def encrypt(text):
    if text is None:
        return None
    return PREFIX + key_ring().encrypt(str(text).encode("utf-8")).decode("ascii")


def decrypt(value):
    if value is None:
        return None
    try:
        return key_ring().decrypt(_token(value)).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionError(
            "No key in the ring can decrypt this value: the key that wrote it is missing "
            "from ENCRYPTION_KEYS, or the value was altered."
        ) from exc


def rotate(value):
    """Re-encrypt a stored value with the newest key (any key in the ring may open it)."""
    if value is None:
        return None
    try:
        return PREFIX + key_ring().rotate(_token(value)).decode("ascii")
    except InvalidToken as exc:
        raise DecryptionError(
            "No key in the ring can decrypt this value, so it cannot be rotated."
        ) from exc


class EncryptedTextField(models.TextField):
    """A text field whose database column holds only ciphertext. Empty text stays empty."""

    description = "Text encrypted at rest with the Interlude key ring"

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)


def encrypted_fields():
    """Every (model, field) pair in the project whose table column stores ciphertext."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        # Local fields only: a child table in multi-table inheritance does not hold its
        # parent's columns.
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def _raw(field):
    # Typed as plain text, so the value skips from_db_value and arrives as stored.
    return ExpressionWrapper(F(field.attname), output_field=TextField())


def _rotate_batch(model, field, after_pk, batch_size):
    """Re-encrypt one batch of rows after `after_pk`; returns (last pk seen, values rotated)."""
    manager = model._base_manager
    with transaction.atomic():
        # Locked until commit, so a concurrent edit cannot be overwritten with older text.
        rows = manager.select_for_update().order_by("pk")
        if after_pk is not None:
            rows = rows.filter(pk__gt=after_pk)
        rows = list(rows.annotate(_stored=_raw(field)).values_list("pk", "_stored")[:batch_size])
        rotated = 0
        for pk, stored in rows:
            if not stored:
                continue
            try:
                fresh = rotate(stored)
            except DecryptionError as exc:
                raise DecryptionError(
                    f"{model._meta.label}.{field.name} row {pk}: {exc}") from exc
            # A Value typed as plain text is written as is; the field would encrypt it again.
            manager.filter(pk=pk).update(**{field.attname: Value(fresh, output_field=TextField())})
            rotated += 1
    last_pk = rows[-1][0] if rows else None
    return last_pk, rotated


def reencrypt_all(batch_size=500):
    """Re-encrypt every stored value of every encrypted field with the newest key.

    Each batch commits on its own: rotation can be stopped and run again, and until it
    finishes the older keys must stay in the ring. Returns {"app.Model.field": count}.
    """
    counts = {}
    for model, field in encrypted_fields():
        total, after_pk = 0, None
        while True:
            last_pk, rotated = _rotate_batch(model, field, after_pk, batch_size)
            total += rotated
            if last_pk is None:
                break
            after_pk = last_pk
        counts[f"{model._meta.label}.{field.name}"] = total
    return counts


def read_key_file(path):
    text = Path(path).read_text() if Path(path).exists() else ""
    return [k.strip() for k in text.replace("\n", ",").split(",") if k.strip()]


def prepend_key_to_file(path, key):
    """Put a new key in front of a key file (newest first); returns the file's keys."""
    path = Path(path)
    keys = [key, *read_key_file(path)]
    path.write_text("\n".join(keys) + "\n")
    path.chmod(0o600)
    return keys
