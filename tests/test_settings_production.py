"""Production mode reads every setting from the environment, with safe defaults, and refuses to
start without its secrets. Each case imports the settings in a fresh process."""

import json
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

CLEARED = ("SECRET_KEY", "ENCRYPTION_KEYS", "DATABASE_URL", "DEBUG", "SECURE_COOKIES",
           "ALLOWED_HOSTS", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
           "EMAIL_USE_TLS", "EMAIL_BACKEND", "DJANGO_SETTINGS_MODULE",
           # Set by the browser tests for Playwright; a deployment never has it.
           "DJANGO_ALLOW_ASYNC_UNSAFE")

SHOW = """
import json
from interlude import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "secret_key": s.SECRET_KEY, "keys": s.ENCRYPTION_KEYS, "debug": s.DEBUG,
    "engine": db["ENGINE"], "db_name": str(db["NAME"]), "db_host": db.get("HOST", ""),
    "session_secure": s.SESSION_COOKIE_SECURE, "csrf_secure": s.CSRF_COOKIE_SECURE,
    "hsts": getattr(s, "SECURE_HSTS_SECONDS", 0), "allowed_hosts": s.ALLOWED_HOSTS,
    "email_host": s.EMAIL_HOST, "email_port": s.EMAIL_PORT, "email_tls": s.EMAIL_USE_TLS,
    "email_password": s.EMAIL_HOST_PASSWORD, "email_backend": s.EMAIL_BACKEND,
}))
"""


@pytest.fixture
def production_env(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in CLEARED and not k.endswith("_FILE")}
    env.update(INTERLUDE_MODE="production", INTERLUDE_VAR_DIR=str(tmp_path / "var"),
               DJANGO_SETTINGS_MODULE="interlude.settings")
    return env


@pytest.fixture
def secret_files(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("a-production-secret-key-that-is-long-enough-0123456789-abcdef\n")
    keys = [Fernet.generate_key().decode(), Fernet.generate_key().decode()]
    ring = tmp_path / "encryption_keys"
    ring.write_text("\n".join(keys) + "\n")
    return {"SECRET_KEY_FILE": str(secret), "ENCRYPTION_KEYS_FILE": str(ring)}, keys


def python(env, code):
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)


def settings_seen(env):
    result = python(env, SHOW)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_refuses_to_start_without_a_secret_key(production_env):
    production_env["ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    result = python(production_env, "import interlude.settings")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "refuses to start in production without SECRET_KEY" in result.stderr
    assert "ENCRYPTION_KEYS" not in result.stderr.splitlines()[-1]
    assert "_FILE pointing at a file" in result.stderr


def test_it_names_every_missing_secret(production_env):
    result = python(production_env, "import interlude.settings")
    assert result.returncode != 0
    assert "without SECRET_KEY and ENCRYPTION_KEYS" in result.stderr


def test_it_starts_with_secrets_from_files(production_env, secret_files, tmp_path):
    files, keys = secret_files
    production_env.update(files)
    seen = settings_seen(production_env)
    assert seen["secret_key"] == "a-production-secret-key-that-is-long-enough-0123456789-abcdef"
    assert seen["keys"] == keys
    assert seen["debug"] is False
    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["db_name"] == str(tmp_path / "var" / "interlude.sqlite3")
    # No development secrets were generated next to the database.
    assert not (tmp_path / "var" / "secret_key").exists()
    check = subprocess.run([sys.executable, "-m", "interlude.cli", "check", "--deploy"],
                           env=production_env, capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr
    for unsafe in ("security.W004", "security.W012", "security.W016", "security.W018"):
        assert unsafe not in check.stderr + check.stdout


def test_it_sets_safe_production_defaults(production_env, secret_files):
    production_env.update(secret_files[0])
    seen = settings_seen(production_env)
    assert seen["session_secure"] is True
    assert seen["csrf_secure"] is True
    assert seen["hsts"] >= 31536000
    assert seen["allowed_hosts"] == ["127.0.0.1", "localhost"]
    assert seen["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"


def test_it_selects_postgresql_from_database_url(production_env, secret_files):
    production_env.update(secret_files[0])
    production_env["DATABASE_URL"] = "postgres://interlude:pw@db.internal:5432/practice"
    seen = settings_seen(production_env)
    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["db_name"] == "practice"
    assert seen["db_host"] == "db.internal"


def test_it_reads_hosts_and_email_from_the_environment(production_env, secret_files, tmp_path):
    production_env.update(secret_files[0])
    password_file = tmp_path / "smtp_password"
    password_file.write_text("smtp-pass\n")
    production_env.update(ALLOWED_HOSTS="care.example.org,www.care.example.org",
                          EMAIL_HOST="smtp.example.org", EMAIL_PORT="587", EMAIL_USE_TLS="true",
                          EMAIL_HOST_PASSWORD_FILE=str(password_file))
    seen = settings_seen(production_env)
    assert seen["allowed_hosts"] == ["care.example.org", "www.care.example.org"]
    assert (seen["email_host"], seen["email_port"], seen["email_tls"]) == (
        "smtp.example.org", 587, True)
    assert seen["email_password"] == "smtp-pass"
