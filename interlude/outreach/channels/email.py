"""The email channel: Django's email backend (SMTP in production), one connection per batch.

Every message carries its idempotency key twice, so a receiver can drop the copy a crashed
dispatcher may resend: as the Message-ID, `<key@interlude>` with the key escaped into a valid
local part, and verbatim in the `X-Interlude-Idempotency-Key` header.

How SMTP answers map to retries (RFC 5321: 4yz is transient, 5yz permanent):
- connection refused, reset or timed out, a server that hangs up, any 4xx answer:
  `TemporaryFailure`, retried with backoff until the delivery's attempts run out;
- 5xx refusal of the recipient (RCPT) or of the message (DATA): `PermanentFailure`, dead at once;
- 5xx refusal of our sender address or our login: `TemporaryFailure`, because that is the
  practice's configuration, which an admin can fix before the attempts run out;
- no address on the delivery, or a subject that cannot be a header: `PermanentFailure`.
"""

import contextlib
import smtplib
import string

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from . import PermanentFailure, TemporaryFailure

ATOM_SAFE = set(string.ascii_letters + string.digits + "!#$%&'*+-/?^_`{|}~")
KEY_HEADER = "X-Interlude-Idempotency-Key"
DEFAULT_TIMEOUT_SECONDS = 10


def local_part(key):
    """Escape `key` into an RFC 5322 dot-atom local part, one-to-one: safe characters stay,
    every other byte (including '.' and the escape '=' itself) becomes =XX."""
    return "".join(ch if ch in ATOM_SAFE else "".join(f"={b:02X}" for b in ch.encode())
                   for ch in key)


def message_id_for(key):
    return f"<{local_part(key)}@interlude>"


def _smtp_code(exc):
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return min(codes) if codes else 0
    return getattr(exc, "smtp_code", 0) or 0


def _failure(exc):
    """The channel failure an exception from the backend stands for."""
    code = _smtp_code(exc)
    summary = f"SMTP {code}" if code else type(exc).__name__
    permanent_kinds = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
    if code >= 500 and isinstance(exc, permanent_kinds):
        return PermanentFailure(f"{summary}: the server refused the message")
    return TemporaryFailure(f"{summary}: {_reason(exc)}")


def _reason(exc):
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPResponseException):
        return "the server refused for now"
    if isinstance(exc, TimeoutError):
        return "the server did not answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return "the connection failed"


class EmailChannel:
    name = "email"

    def __init__(self):
        self._connection = None
        self._batch = False

    def open(self):
        """Start a batch: the connection opens with the first message and stays open."""
        self._batch = True

    def close(self):
        self._batch = False
        self._drop()

    def send(self, delivery):
        if not delivery.address:
            raise PermanentFailure("no email address")
        message = self._message(delivery)
        try:
            connection = self._open_connection()
            sent = connection.send_messages([message])
        except OSError as exc:  # smtplib.SMTPException is an OSError
            # A refused recipient leaves the session usable; anything else may not have.
            if not isinstance(exc, smtplib.SMTPRecipientsRefused):
                self._drop()
            raise _failure(exc) from exc
        except ValueError as exc:
            # Django refuses an address it cannot encode before talking to the server.
            raise PermanentFailure("the email address is not valid") from exc
        finally:
            if not self._batch:
                self._drop()
        if not sent:
            raise TemporaryFailure("the email backend sent nothing")

    def _message(self, delivery):
        key = delivery.idempotency_key.replace("\r", "").replace("\n", "")
        subject = delivery.subject or ""
        if "\n" in subject or "\r" in subject:
            raise PermanentFailure("the subject contains a line break")
        return EmailMessage(subject=subject, body=delivery.body or "",
                            from_email=settings.DEFAULT_FROM_EMAIL, to=[delivery.address],
                            headers={"Message-ID": message_id_for(key), KEY_HEADER: key})

    def _open_connection(self):
        if self._connection is None:
            timeout = getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_TIMEOUT_SECONDS
            connection = get_connection(fail_silently=False, timeout=timeout)
            connection.open()
            self._connection = connection
        return self._connection

    def _drop(self):
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(OSError):  # smtplib's errors are OSErrors too
                connection.close()
