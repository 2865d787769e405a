from django.contrib.auth.hashers import make_password

from interlude import settings as real_settings


def test_it_hashes_passwords_with_argon2_first():
    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_an_argon2_hash_is_what_gets_stored(settings):
    settings.PASSWORD_HASHERS = real_settings.PASSWORD_HASHERS
    hashed = make_password("a long enough passphrase")
    assert hashed.startswith("argon2$argon2id$")
