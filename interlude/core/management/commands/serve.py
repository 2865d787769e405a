"""`interlude serve`: the web server, and the background services that live in its process.

The embedded default (SQLite, one machine) runs everything in one process: the WSGI app served
by waitress, plus background loops such as the outbox dispatcher, each in a thread of its own.
"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

# Background services started in threads of the server process before it serves, and stopped
# when it stops. Each entry is the dotted path of a callable `run(stop)` that loops until the
# threading.Event `stop` is set, then returns (the outbox dispatcher registers itself here).
BACKGROUND_SERVICES = []

# The outbox dispatcher joins them when settings.DISPATCH_IN_SERVER is on (`make run`).
DISPATCHER_SERVICE = "interlude.outreach.dispatcher.run_in_server"

# How long a background service may take to finish its current step after `stop` is set.
STOP_GRACE_SECONDS = 10


class Stopping(SystemExit):
    """Raised from the signal handler: waitress's loop catches SystemExit and shuts down."""


class BackgroundServices:
    def __init__(self, paths):
        self.paths = list(paths)
        self.stop_event = threading.Event()
        self.threads = []

    def start(self):
        for path in self.paths:
            thread = threading.Thread(target=import_string(path), args=(self.stop_event,),
                                      name=path.rsplit(".", 1)[-1], daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(STOP_GRACE_SECONDS)
        return [thread.name for thread in self.threads if thread.is_alive()]


def background_services():
    """The services this server runs: the registered ones, plus the dispatcher if asked."""
    paths = list(BACKGROUND_SERVICES)
    if settings.DISPATCH_IN_SERVER and DISPATCHER_SERVICE not in paths:
        paths.append(DISPATCHER_SERVICE)
    return paths


def _stop_on_signal(signum, frame):
    raise Stopping(0)


class Command(BaseCommand):
    help = "Serve Interlude over HTTP with waitress, with its background services."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        from waitress import wasyncore
        from waitress.server import create_server

        from interlude.wsgi import application

        socket_map = {}
        server = create_server(application, map=socket_map, host=host, port=port,
                               threads=threads, ident="Interlude")
        services = BackgroundServices(background_services())
        previous = {sig: signal.signal(sig, _stop_on_signal)
                    for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            services.start()
            self.stdout.write(f"Interlude is serving on http://{host}:{port}/ "
                              f"({threads} threads; Ctrl-C or SIGTERM stops it)")
            self.stdout.flush()
            server.run()  # returns after the signal handler raised Stopping
        finally:
            wasyncore.close_all(socket_map)
            stuck = services.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if stuck:
            self.stderr.write("Background services still running at exit: " + ", ".join(stuck))
        self.stdout.write("Interlude stopped.")
