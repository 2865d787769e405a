"""Encryption at rest for clinical free text.

A key ring (MultiFernet) encrypts with the newest key and decrypts with any key in the ring,
so keys can be rotated: add a new key in front, run `interlude keys rotate`, then drop the old.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "enc1:"


@lru_cache(maxsize=4)
def _ring(keys):
    return MultiFernet([Fernet(k.encode()) for k in keys])


def key_ring():
    return _ring(tuple(settings.ENCRYPTION_KEYS))


def encrypt(text):
    if text is None:
        return None
    return PREFIX + key_ring().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token):
    if token is None:
        return None
    if not token.startswith(PREFIX):
        raise ValueError("value is not an Interlude ciphertext")
    try:
        return key_ring().decrypt(token[len(PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("no key in the ring can decrypt this value") from exc


def rotate(token):
    """Re-encrypt a stored value with the newest key."""
    if token is None:
        return None
    return PREFIX + key_ring().rotate(token[len(PREFIX):].encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):
    """A text field whose database column holds only ciphertext."""

    description = "Text encrypted at rest with the Interlude key ring"

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)


def encrypted_fields():
    """Every (model, field) pair in the project that stores ciphertext."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field
