"""A broken key ring stops with a message that names the problem and never shows a key."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from interlude.core import crypto


def test_it_names_a_broken_key_by_position_without_showing_it():
    good = Fernet.generate_key().decode()
    with (
        override_settings(ENCRYPTION_KEYS=[good, "not-a-key"]),
        pytest.raises(ImproperlyConfigured) as failure,
    ):
        crypto.encrypt("x")
    assert "key number 2" in str(failure.value)
    assert "not-a-key" not in str(failure.value) and good not in str(failure.value)


def test_it_refuses_an_empty_key_ring():
    with (
        override_settings(ENCRYPTION_KEYS=[]),
        pytest.raises(ImproperlyConfigured, match="at least one key"),
    ):
        crypto.encrypt("x")


def test_it_decrypts_with_any_key_in_the_ring_and_encrypts_with_the_first():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(ENCRYPTION_KEYS=[old]):
        written_with_old = crypto.encrypt("sleep diary")
    with override_settings(ENCRYPTION_KEYS=[new, old]):
        assert crypto.decrypt(written_with_old) == "sleep diary"
        written_with_new = crypto.encrypt("sleep diary")
    with override_settings(ENCRYPTION_KEYS=[new]):
        assert crypto.decrypt(written_with_new) == "sleep diary"
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(written_with_old)
