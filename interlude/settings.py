"""Interlude settings, read from environment variables only.

Every secret may also come from a file named by the same variable with a `_FILE` suffix
(for example `SECRET_KEY_FILE=/run/secrets/secret_key`), so containers and systemd credentials
never put secrets on a command line.

`INTERLUDE_MODE=dev` (set by `make run` and the test suite) generates missing local secrets
under `var/`; any other mode is production and refuses to start without them.
"""

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("INTERLUDE_VAR_DIR", PROJECT_DIR / "var"))


def env(name, default=None):
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = env(name)
    return default if value in (None, "") else int(value)


def _dev_secret(filename, make):
    """Read or create a development secret kept outside the database, under var/."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / filename
    if not path.exists():
        _write_once(path, make())
    return path.read_text().strip()


def _write_once(path, text):
    """Write text to path whole, unless another process got there first: processes starting
    together (the server and its dispatcher, or parallel test workers) must share one key,
    and none may read a half-written file."""
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as handle:
        handle.write(text)
    os.chmod(handle.name, 0o600)
    try:
        os.link(handle.name, path)  # fails if the file exists: the first writer's key stands
    except FileExistsError:
        pass
    finally:
        os.unlink(handle.name)


def _new_fernet_key():
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


MODE = env("INTERLUDE_MODE", "production")
DEV = MODE == "dev"
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
ENCRYPTION_KEYS_RAW = env("ENCRYPTION_KEYS")
if DEV:
    SECRET_KEY = SECRET_KEY or _dev_secret("secret_key", lambda: secrets.token_urlsafe(50))
    ENCRYPTION_KEYS_FILE = VAR_DIR / "encryption_keys"
    ENCRYPTION_KEYS_RAW = ENCRYPTION_KEYS_RAW or _dev_secret("encryption_keys", _new_fernet_key)
else:
    ENCRYPTION_KEYS_FILE = None
    required = (("SECRET_KEY", SECRET_KEY), ("ENCRYPTION_KEYS", ENCRYPTION_KEYS_RAW))
    missing = [name for name, value in required if not value]
    if missing:
        raise ImproperlyConfigured(
            "Interlude refuses to start in production without "
            + " and ".join(missing)
            + " (set the variable, or NAME_FILE pointing at a file; "
            "or INTERLUDE_MODE=dev for a local trial)."
        )

# Newest key first: it encrypts; every key in the ring can still decrypt.
ENCRYPTION_KEYS = [k.strip() for k in ENCRYPTION_KEYS_RAW.replace("\n", ",").split(",")
                   if k.strip()]

ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "interlude.core",
    "interlude.audit",
    "interlude.accounts",
    "interlude.crisis",
    "interlude.agreements",
    "interlude.outreach",
    "interlude.inbox",
    "interlude.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "interlude.accounts.middleware.IdleLogoutMiddleware",
    "interlude.accounts.middleware.UserLanguageMiddleware",
    "interlude.accounts.middleware.RequireVerifiedStaffMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "interlude.urls"
WSGI_APPLICATION = "interlude.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "interlude.accounts.context_processors.roles",
            ],
        },
    },
]

DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "interlude.sqlite3",
            # Opening a SQLite connection (and its PRAGMAs) costs more than most requests.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            # A web process and the dispatcher share the file: wait for locks instead of failing.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE",
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Automatic logoff (HIPAA 164.312(a)(2)(iii)): staff idle sessions end sooner than clients'.
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 15)
CLIENT_IDLE_MINUTES = env_int("CLIENT_IDLE_MINUTES", 30)
INVITATION_VALID_HOURS = env_int("INVITATION_VALID_HOURS", 72)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Interlude")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE = not DEV and env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The project-wide stylesheet lives outside any app, so the finders need to be told where.
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve static files straight from the apps: no collectstatic step before `make run`.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# In development, mail goes to files under var/mail rather than to the terminal, so message
# bodies never end up in the server's output.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
                    if not DEV else "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Interlude <no-reply@localhost>")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# Outreach: the outbox's channels and planners, and the dispatcher.
INTERLUDE_CHANNELS = {
    "in_app": "interlude.outreach.channels.in_app.InAppChannel",
    "email": "interlude.outreach.channels.email.EmailChannel",
    "sms": "interlude.outreach.channels.sms.SmsChannel",
}
# Urgent alerts first: the other planners can never delay them.
INTERLUDE_PLANNERS = [
    "interlude.crisis.alerts.escalate_due",
    "interlude.outreach.schedules.plan_due_occurrences",
    "interlude.inbox.holding.release_due",
]
# An urgent alert nobody has acknowledged after this long goes to the next person on the rota.
ALERT_ESCALATE_MINUTES = env_int("ALERT_ESCALATE_MINUTES", 10)
# `make run` runs one dispatcher inside the server; production may run `interlude dispatch`.
DISPATCH_IN_SERVER = env_bool("DISPATCH_IN_SERVER", DEV)
DISPATCH_LEASE_SECONDS = env_int("DISPATCH_LEASE_SECONDS", 60)
DISPATCH_BATCH = env_int("DISPATCH_BATCH", 20)
# SMS through Twilio's API (or a compatible one at SMS_API_BASE_URL, e.g. a local test server).
SMS_ACCOUNT_SID = env("SMS_ACCOUNT_SID", "")
SMS_AUTH_TOKEN = env("SMS_AUTH_TOKEN", "")
SMS_FROM = env("SMS_FROM", "")
SMS_API_BASE_URL = env("SMS_API_BASE_URL", "")

# Clinical text never reaches the logs: only warnings from Django itself, and our own events
# carry identifiers, never message bodies, notes or answers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
