"""Print the current one-time code of an account, so the demo logins work without a phone.

Anyone who can run this already holds the database and its keys; it reveals nothing more.
"""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from interlude.accounts.models import User
from interlude.accounts.services import confirmed_totp


def current_code(device):
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                drift=device.drift)
    return f"{code:0{device.digits}d}"


class Command(BaseCommand):
    help = "Print the current one-time code of EMAIL's authenticator (for the demo)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        email = options["email"].strip().lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"No account with the email {email}.")
        device = confirmed_totp(user)
        if device is None:
            raise CommandError(f"{email} has no confirmed authenticator: "
                               "log in with the password to set one up.")
        self.stdout.write(current_code(device))
