"""The `interlude` console command: Django's management commands with Interlude's settings.

    interlude serve            web server, with a dispatcher inside when DISPATCH_IN_SERVER is on
    interlude demo             load the demo practice (once) and print its logins
    interlude audit verify     check the audit trail's hash chain
    interlude audit tail       the newest audit events
    interlude keys rotate      re-encrypt clinical text with the newest key
    interlude keys generate    print a new encryption key
    interlude dispatch         deliver the outbox (any number side by side on PostgreSQL)
    interlude triage           risk levels of messages on standard input (--evaluate FILE)
    interlude totp EMAIL       print a staff account's current one-time code (demo use)
    interlude migrate, createsuperuser, ...   any Django management command
"""

import os
import sys


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        argv = argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interlude.settings")
    from django.core.management import execute_from_command_line

    if not argv:
        print(__doc__)
        return 0
    execute_from_command_line(["interlude", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
