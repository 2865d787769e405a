"""`interlude keys generate` and `interlude keys rotate [--add-new]`.

Rotating a key, step by step:
1. put a new key in front of ENCRYPTION_KEYS (newest first) and restart, or in development
   run `interlude keys rotate --add-new`, which adds it to the local key file;
2. `interlude keys rotate` re-encrypts every stored value with the newest key;
3. remove the old key from ENCRYPTION_KEYS and restart.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from interlude.core import crypto


class Command(BaseCommand):
    help = "Make a new encryption key, or re-encrypt clinical text with the newest key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("generate", help="Print a new Fernet key.")
        rotate = sub.add_parser("rotate", help="Re-encrypt every encrypted value with the "
                                               "newest key in ENCRYPTION_KEYS.")
        rotate.add_argument("--add-new", action="store_true",
                            help="Development only: first add a new key to the local key file.")
        rotate.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, subcommand, **options):
        if subcommand == "generate":
            self.stdout.write(crypto.generate_key())
            return
        if options["add_new"]:
            self._add_new_key()
        self._rotate(options["batch_size"])

    def _add_new_key(self):
        path = getattr(settings, "ENCRYPTION_KEYS_FILE", None)
        if not path:
            raise CommandError(
                "--add-new works only in development, where keys live in a local file. "
                "In production: run `interlude keys generate`, put the key first in "
                "ENCRYPTION_KEYS, restart, then run `interlude keys rotate`.")
        if crypto.read_key_file(path) != list(settings.ENCRYPTION_KEYS):
            raise CommandError(
                "The keys in use come from the ENCRYPTION_KEYS variable, not the local key "
                "file: put a new key first in ENCRYPTION_KEYS instead, then run rotate.")
        # Reload the ring in this process: the newest key now encrypts.
        keys = crypto.prepend_key_to_file(path, crypto.generate_key())
        settings.ENCRYPTION_KEYS = keys
        self.stdout.write(f"Added a new key in front of the key file ({len(keys)} keys in all).")

    def _rotate(self, batch_size):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            counts = crypto.reencrypt_all(batch_size=batch_size)
        except (crypto.DecryptionError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} re-encrypted")
        self.stdout.write(self.style.SUCCESS(
            f"Done: {sum(counts.values())} values now use the newest key. "
            "Older keys may be removed from ENCRYPTION_KEYS."))
