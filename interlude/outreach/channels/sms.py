"""Text messages through Twilio's REST API, with Twilio's own client library.

`SMS_API_BASE_URL` points the library at another server that speaks the same API (a local fake
in the tests, or a compatible provider): every request the library would make to
`https://api.twilio.com` goes to that base URL instead, path unchanged. Twilio's regional and
edge host names are not rewritten, so leave TWILIO_REGION and TWILIO_EDGE unset when using it.

Each send carries the delivery's idempotency key twice: as `I-Twilio-Idempotency-Token`, the
header Twilio itself uses to drop a repeated request, and as `X-Interlude-Idempotency-Key`,
which any receiver can use the same way. So a message whose send was interrupted by a crash and
is sent again under the same key can be recognised as the same message.

The sender is the practice's own number (`PracticeChannels.sms_from`) when it has one, else
the deployment's `SMS_FROM`: a server hosting several practices gives each its own number, and
replies then reach the right practice.

Failures: a refused connection, a timeout, HTTP 429 or a 5xx may pass with time
(`TemporaryFailure`); any other 4xx (an invalid number, Twilio error 21211; a number that
opted out, 21610) will not (`PermanentFailure`). Nothing here logs the message body or the
phone number: errors carry the HTTP status and Twilio's numeric error code only.
"""

import threading

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client as TwilioClient

from . import ChannelUnavailable, PermanentFailure, TemporaryFailure

TWILIO_API = "https://api.twilio.com"
IDEMPOTENCY_HEADERS = ("I-Twilio-Idempotency-Token", "X-Interlude-Idempotency-Key")
REQUEST_TIMEOUT_SECONDS = 15


class RoutedHttpClient(TwilioHttpClient):
    """Twilio's HTTP client, sent to `base_url` instead of api.twilio.com when one is given,
    adding the idempotency headers of the message being sent on this thread."""

    def __init__(self, base_url="", timeout=REQUEST_TIMEOUT_SECONDS):
        super().__init__(timeout=timeout)
        self.base_url = (base_url or "").rstrip("/")
        self._local = threading.local()

    def set_idempotency_key(self, key):
        self._local.key = key

    def request(self, method, url, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        if self.base_url and url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API):]
        headers = dict(headers or {})
        key = getattr(self._local, "key", "")
        if key:
            for name in IDEMPOTENCY_HEADERS:
                headers[name] = key
        return super().request(method, url, params=params, data=data, headers=headers,
                               auth=auth, timeout=timeout, allow_redirects=allow_redirects)


def sender_number(practice_id):
    """The practice's own number when it has one, else the deployment's SMS_FROM."""
    from interlude.outreach.models import PracticeChannels

    own = (PracticeChannels.objects.filter(practice_id=practice_id)
           .values_list("sms_from", flat=True).first())
    return own or settings.SMS_FROM


def _failure_for(error):
    status = error.status or 0
    summary = f"SMS provider answered HTTP {status}"
    if error.code:
        summary += f" (error {error.code})"
    if status == 429 or status >= 500:
        return TemporaryFailure(summary)
    return PermanentFailure(summary)


def _close(client):
    session = getattr(getattr(client, "http_client", None), "session", None)
    if session is not None:
        session.close()


class SmsChannel:
    """Sends a Delivery as a text message. `open()`/`close()` keep one HTTP connection pool
    for a batch; `send` works without them too."""

    def __init__(self):
        self._client = None
        self._senders = {}

    def open(self):
        if self._client is None:
            self._client = self._make_client()

    def close(self):
        client, self._client = self._client, None
        self._senders = {}
        _close(client)

    def _sender(self, practice_id):
        # Looked up once per practice while a batch is open; a new batch sees any change.
        if self._client is None:
            return sender_number(practice_id)
        if practice_id not in self._senders:
            self._senders[practice_id] = sender_number(practice_id)
        return self._senders[practice_id]

    def _make_client(self):
        if not (settings.SMS_ACCOUNT_SID and settings.SMS_AUTH_TOKEN):
            raise ChannelUnavailable("SMS needs SMS_ACCOUNT_SID and SMS_AUTH_TOKEN")
        http = RoutedHttpClient(base_url=settings.SMS_API_BASE_URL)
        return TwilioClient(settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN, http_client=http)

    def send(self, delivery):
        if not delivery.address.strip():
            raise PermanentFailure("the recipient has no phone number")
        sender = self._sender(delivery.practice_id)
        if not sender:
            raise ChannelUnavailable("SMS needs a sender number (SMS_FROM or the practice's)")
        owned = self._client is None
        client = self._client or self._make_client()
        client.http_client.set_idempotency_key(delivery.idempotency_key)
        try:
            message = client.messages.create(to=delivery.address, from_=sender,
                                              body=delivery.body)
        except TwilioRestException as error:
            raise _failure_for(error) from None
        except requests.RequestException as error:
            raise TemporaryFailure(f"SMS provider unreachable: {type(error).__name__}") from None
        finally:
            client.http_client.set_idempotency_key("")
            if owned:
                _close(client)
        return message.sid
