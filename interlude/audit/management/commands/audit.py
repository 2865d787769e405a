"""`interlude audit verify` checks the hash chain; `interlude audit tail [-n N]` shows the newest.

verify exits with status 0 and "OK" when every link holds, and with status 1 naming the first
broken link otherwise, so it can run from cron or a monitoring check.
"""

from django.core.management.base import BaseCommand, CommandError

from interlude.audit import service


class Command(BaseCommand):
    help = "Check the audit trail's hash chain, or show its newest events."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Walk the whole chain and report the first broken link.")
        tail = sub.add_parser("tail", help="Show the newest events, newest first.")
        tail.add_argument("-n", "--number", type=int, default=20, dest="number")

    def handle(self, *args, subcommand, **options):
        if subcommand == "verify":
            self.verify()
        else:
            self.tail(options["number"])

    def verify(self):
        report = service.verify_chain()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"{report.checked} events checked: OK"))
            return
        raise CommandError(
            f"Audit trail broken at event {report.broken_seq}: {report.reason} "
            f"({report.checked} events before it are intact).", returncode=1)

    def tail(self, number):
        if number < 1:
            raise CommandError("-n must be at least 1.")
        for event in service.tail(number):
            where = event.ip_address or "-"
            record = f"{event.object_type} {event.object_id}".strip()
            client = f" client={event.client_id_ref}" if event.client_id_ref else ""
            self.stdout.write(f"#{event.seq} {event.at:%Y-%m-%d %H:%M:%S}Z {event.actor_label} "
                              f"{event.action} {record}{client} from {where}")
