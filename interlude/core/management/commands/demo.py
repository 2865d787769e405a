"""`interlude demo`: load the demo practice and print its logins."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from interlude.core import demo


class Command(BaseCommand):
    help = "Load the demo practice, Harbor Counseling, and print its logins."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="If the demo practice exists already, keep its on-call rota nine "
                                 "weeks ahead and print its logins.")

    def handle(self, *args, once=False, **options):
        practice = demo.demo_practice()
        if practice is not None and not once:
            raise CommandError(f"{practice.name} is loaded already; `interlude demo --once` "
                               "prints its logins.")
        if practice is None:
            practice = demo.load_demo()
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo practice {practice.name}."))
        else:
            # Each start keeps the demo's on-call rota nine weeks ahead.
            with transaction.atomic():
                demo.build_on_call_rota(practice)
        self.stdout.write("\n".join(["", *demo.login_lines(practice), ""]))
