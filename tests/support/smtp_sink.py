"""A real SMTP server (aiosmtpd) for tests and the bench, that counts what it received.

It runs in a thread of the test process or in a process of its own (`SmtpSink(process=True)`),
so that dispatchers in other processes and SIGKILLs aimed at them cannot disturb it. Either way
it writes one line per received message to `received.log` in its directory (appended and
flushed at once), so any process can count what reached it:

    idempotency key <TAB> Message-ID <TAB> recipients <TAB> time received (Unix seconds)

Its behaviour can be changed while it runs (`set_mode`), through `mode.json` in the same
directory:

- "accept": answer 250 after `delay` seconds;
- "temporary": refuse every message with 451 (a retry may succeed);
- "permanent": refuse every message with 554 (it never will).

A message is recorded *before* the delayed 250, as a mail server that stored the message and
then lost the connection would have it: a dispatcher killed during the delay has delivered the
message without learning so. That is the in-flight send the outbox's guarantee allows to be
repeated once, with the same idempotency key. Refused messages go to `refused.log` instead.
"""

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from pathlib import Path

KEY_HEADER = "X-Interlude-Idempotency-Key"
REPLIES = {
    "temporary": "451 4.3.0 Try again later (test sink)",
    "permanent": "554 5.7.1 Refused (test sink)",
}
MODES = ("accept", *REPLIES)


@dataclass(frozen=True)
class Received:
    key: str
    message_id: str
    recipients: str
    at: float


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_log(path):
    try:
        lines = Path(path).read_text().splitlines()
    except FileNotFoundError:
        return []
    # A line being written while we read has no newline yet; it is counted on the next read.
    return [Received(key, message_id, recipients, float(at))
            for key, message_id, recipients, at in
            (line.split("\t") for line in lines if line.count("\t") == 3)]


class Handler:
    """aiosmtpd handler: record the message, wait `delay`, answer as the mode says."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.mode_file = self.directory / "mode.json"
        self.received = open(self.directory / "received.log", "a")  # noqa: SIM115
        self.refused = open(self.directory / "refused.log", "a")  # noqa: SIM115
        self._mode_stamp = None
        self.mode, self.delay = "accept", 0.0

    def _current_mode(self):
        try:
            status = self.mode_file.stat()
            stamp = (status.st_ino, status.st_mtime_ns)
        except FileNotFoundError:
            return
        if stamp != self._mode_stamp:
            settings = json.loads(self.mode_file.read_text())
            self.mode, self.delay = settings["mode"], float(settings["delay"])
            self._mode_stamp = stamp

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self._current_mode()
        headers = BytesHeaderParser().parsebytes(envelope.original_content or envelope.content)
        message_id = str(headers.get("Message-ID", "")).strip()
        key = str(headers.get(KEY_HEADER, "")).strip() or message_id
        line = f"{key}\t{message_id}\t{','.join(envelope.rcpt_tos)}\t{time.time():.6f}\n"
        if self.mode in REPLIES:
            self.refused.write(line)
            self.refused.flush()
            await asyncio.sleep(self.delay)
            return REPLIES[self.mode]
        self.received.write(line)
        self.received.flush()
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 OK"

    def close(self):
        self.received.close()
        self.refused.close()


class SmtpSink:
    """Start with `with SmtpSink(tmp_path / "sink") as sink:`; point EMAIL_PORT at sink.port."""

    def __init__(self, directory, mode="accept", delay=0.0, process=False):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process_mode = process
        self.port = None
        self._controller = self._handler = self._process = None
        self.set_mode(mode, delay)

    def set_mode(self, mode, delay=0.0):
        if mode not in MODES:
            raise ValueError(f"unknown sink mode {mode!r}; one of {MODES}")
        # Write then rename, so the server never reads half a file.
        partial = self.directory / "mode.json.partial"
        partial.write_text(json.dumps({"mode": mode, "delay": delay}))
        partial.replace(self.directory / "mode.json")

    def start(self):
        self.port = free_port()
        if self.process_mode:
            self._start_process()
        else:
            from aiosmtpd.controller import Controller

            self._handler = Handler(self.directory)
            self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)
            self._controller.start()
        return self

    def _start_process(self):
        log = open(self.directory / "server.log", "w")  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.smtp_sink", str(self.directory),
             "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parents[2])
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError("the SMTP sink exited: "
                                   + (self.directory / "server.log").read_text())
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("the SMTP sink did not start within 20 s")

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._handler.close()
            self._controller = None
        if self._process is not None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def received(self):
        return read_log(self.directory / "received.log")

    def refused(self):
        return read_log(self.directory / "refused.log")

    def received_count(self):
        return len(self.received())

    def count_by_key(self):
        """How many times each idempotency key reached the server."""
        return Counter(message.key for message in self.received())


def serve(directory, port):
    """The sink's own process: serve until SIGTERM."""
    from aiosmtpd.controller import Controller

    handler = Handler(directory)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *args: stopping.set())
    signal.signal(signal.SIGINT, lambda *args: stopping.set())
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{port}, pid {os.getpid()}", flush=True)
    while not stopping.wait(0.5):
        pass
    controller.stop()
    handler.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--port", type=int, required=True)
    arguments = parser.parse_args()
    serve(arguments.directory, arguments.port)
