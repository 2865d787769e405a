"""`interlude demo`: load the demo practice and print its logins."""

from django.core.management.base import BaseCommand, CommandError

from interlude.core import demo


class Command(BaseCommand):
    help = "Load the demo practice, Harbor Counseling, and print its logins."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="If the demo practice exists already, only print its logins.")

    def handle(self, *args, once=False, **options):
        practice = demo.demo_practice()
        if practice is not None and not once:
            raise CommandError(f"{practice.name} is loaded already; `interlude demo --once` "
                               "prints its logins.")
        if practice is None:
            practice = demo.load_demo()
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo practice {practice.name}."))
        self.stdout.write("\n".join(["", *demo.login_lines(practice), ""]))
