"""`interlude triage`: triage messages from standard input, or evaluate on a labeled file.

    interlude triage < messages.txt         one JSON line (level, reasons) per message
    interlude triage --evaluate FILE.jsonl  recall and precision per level, confusion matrix
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from interlude.triage import cli


class Command(BaseCommand):
    help = ("Triage messages read from standard input (one per line, or JSON lines with a "
            "`text` field), or evaluate the engine on a labeled JSON lines file.")
    # Tests hand in their own input stream through call_command(..., stdin=...).
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--evaluate", metavar="FILE.jsonl",
                            help="labeled lines with `text` and `level`")

    def handle(self, *args, evaluate=None, **options):
        if evaluate:
            try:
                cli.evaluate(evaluate, self.stdout)
            except (OSError, ValueError, KeyError) as error:
                raise CommandError(f"cannot evaluate {evaluate}: {error}") from error
            return
        cli.triage_lines(options.get("stdin") or sys.stdin, self.stdout)
