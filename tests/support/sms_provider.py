"""A local stand-in for Twilio's Messages API, for tests that send real HTTP requests.

    with FakeSmsProvider(account_sid="AC123", auth_token="secret") as provider:
        settings.SMS_API_BASE_URL = provider.url
        ...                            # send through the SMS channel
        provider.received              # one dict per accepted message
        provider.fail_with(500)        # every later request answers 500 (None: accept again)

It answers POST /2010-04-01/Accounts/{sid}/Messages.json like Twilio: HTTP Basic auth with
the account SID and auth token (401 otherwise), form fields To, From and Body, and a 201 JSON
answer with a new message sid. Each entry of `received` holds "to", "from", "body", "sid",
"account_sid", "idempotency_token" (I-Twilio-Idempotency-Token) and "idempotency_key"
(X-Interlude-Idempotency-Key). Requests refused by `fail_with` are counted in `refused`,
not recorded in `received`.
"""

import base64
import itertools
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
ERRORS = {
    400: (21211, "The 'To' number is not a valid phone number."),
    401: (20003, "Authenticate"),
    404: (20404, "The requested resource was not found"),
    429: (20429, "Too Many Requests"),
    500: (20500, "An internal server error has occurred"),
    503: (20503, "Service unavailable"),
}


class _Server(ThreadingHTTPServer):
    # Several dispatchers may connect at once (the fault tests): the default backlog of 5
    # would refuse connections under load and look like a provider outage.
    request_queue_size = 128
    daemon_threads = True


class FakeSmsProvider:
    def __init__(self, account_sid="ACtest", auth_token="test-auth-token"):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.received = []
        self.refused = 0
        self._failure = None
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._server = None
        self._thread = None
        self.url = ""

    def fail_with(self, status):
        """Answer every later request with this HTTP status (None to accept again)."""
        self._failure = status

    def start(self):
        handler = type("Handler", (_Handler,), {"provider": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # Called by the request handler.
    def _authorised(self, header):
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return header == f"Basic {expected}"

    def _accept(self, sid, form, headers):
        with self._lock:
            message_sid = f"SM{next(self._sids):032x}"
            self.received.append({
                "account_sid": sid, "to": form.get("To", ""), "from": form.get("From", ""),
                "body": form.get("Body", ""), "sid": message_sid,
                "idempotency_token": headers.get("I-Twilio-Idempotency-Token", ""),
                "idempotency_key": headers.get("X-Interlude-Idempotency-Key", ""),
            })
        return message_sid

    def _refuse(self):
        with self._lock:
            self.refused += 1


class _Handler(BaseHTTPRequestHandler):
    provider = None  # set on the subclass made by FakeSmsProvider.start

    def do_POST(self):
        provider = self.provider
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        match = MESSAGES_PATH.match(self.path.split("?")[0])
        if match is None:
            return self._error(404)
        if not provider._authorised(self.headers.get("Authorization", "")):
            return self._error(401)
        if match["sid"] != provider.account_sid:
            return self._error(404)
        if provider._failure is not None:
            provider._refuse()
            return self._error(provider._failure)
        form = {name: values[0] for name, values in parse_qs(raw).items()}
        sid = provider._accept(match["sid"], form, self.headers)
        return self._json(201, {
            "sid": sid, "account_sid": match["sid"], "to": form.get("To"),
            "from": form.get("From"), "body": form.get("Body"), "status": "queued",
            "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01",
            "uri": f"/2010-04-01/Accounts/{match['sid']}/Messages/{sid}.json",
        })

    def _error(self, status):
        code, message = ERRORS.get(status, (status, "Error"))
        self._json(status, {"code": code, "message": message, "status": status,
                            "more_info": f"https://www.twilio.com/docs/errors/{code}"})

    def _json(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002
        # Keep test output quiet: the server's access log would only repeat the test's steps.
        pass
