"""`interlude dispatch`: send the outbox's due deliveries until stopped.

Run any number side by side on PostgreSQL (each claims its own rows); on SQLite one is enough.
SIGTERM or Ctrl-C stops it after the message in hand; its unsent rows go back to the queue.
"""

import signal
import threading

from django.core.management.base import BaseCommand

from interlude.outreach.dispatcher import Dispatcher


class Command(BaseCommand):
    help = "Send due deliveries from the outbox until stopped (SIGTERM or Ctrl-C)."

    def add_arguments(self, parser):
        parser.add_argument("--name", default=None,
                            help="This dispatcher's name in the rows it claims "
                                 "(default: host-pid-random).")
        parser.add_argument("--once", action="store_true",
                            help="Run the planners, send everything due now, then exit.")
        parser.add_argument("--batch", type=int, default=None,
                            help="Rows claimed at a time (default: DISPATCH_BATCH).")
        parser.add_argument("--lease", type=int, default=None,
                            help="Seconds a claim lasts (default: DISPATCH_LEASE_SECONDS).")

    def handle(self, *args, name=None, once=False, batch=None, lease=None, **options):
        dispatcher = Dispatcher(name=name, batch=batch, lease=lease)
        stop = threading.Event()
        previous = {sig: signal.signal(sig, lambda signum, frame: stop.set())
                    for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            if once:
                dispatcher.plan_if_due()
                handled = dispatcher.drain(stop)
                self.stdout.write(f"Dispatcher {dispatcher.name} handled {handled} deliveries.")
                return
            self.stdout.write(f"Dispatcher {dispatcher.name} is running "
                              f"(batch {dispatcher.batch}, lease {dispatcher.lease} s).")
            self.stdout.flush()
            dispatcher.run(stop)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Dispatcher {dispatcher.name} stopped.")
