"""The test suite runs the one settings module in development mode (local secrets under var/)."""

import os

os.environ.setdefault("INTERLUDE_MODE", "dev")

from interlude.settings import *  # noqa: E402,F403

# Argon2 is deliberately slow; the suite creates hundreds of users. Production keeps Argon2,
# which tests/test_password_hashing.py checks against the real settings module.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
