"""`interlude triage`: triage messages from standard input, or evaluate on a labeled file.

    interlude triage < messages.txt         one JSON line (level, reasons) per message
    interlude triage --evaluate FILE.jsonl  recall and precision per level, confusion matrix
    interlude triage --cross-validate FILE.jsonl [--folds 5]
                                            the same, the learned layer trained without each fold
    interlude triage --cross-validate SET1.jsonl SET2.jsonl ...
                                            the same, each set one fold
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from interlude.triage import cli, crossval


class Command(BaseCommand):
    help = ("Triage messages read from standard input (one per line, or JSON lines with a "
            "`text` field), or evaluate the engine on a labeled JSON lines file.")
    # Tests hand in their own input stream through call_command(..., stdin=...).
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--evaluate", metavar="FILE.jsonl",
                            help="labeled lines with `text` and `level`")
        parser.add_argument("--cross-validate", metavar="FILE.jsonl", nargs="+",
                            help="labeled lines: the --evaluate report, the learned layer "
                                 "trained without each fold in turn; given several files, "
                                 "each file is a fold")
        parser.add_argument("--folds", type=cli.folds_number, default=crossval.FOLDS,
                            help=f"folds for --cross-validate (default {crossval.FOLDS})")

    def handle(self, *args, evaluate=None, cross_validate=None, folds=crossval.FOLDS,
               **options):
        if cross_validate:
            try:
                cli.cross_validate(cross_validate, self.stdout, folds)
            except (OSError, ValueError, KeyError) as error:
                raise CommandError(
                    f"cannot cross-validate on {' '.join(map(str, cross_validate))}: {error}") \
                    from error
            return
        if evaluate:
            try:
                cli.evaluate(evaluate, self.stdout)
            except (OSError, ValueError, KeyError) as error:
                raise CommandError(f"cannot evaluate {evaluate}: {error}") from error
            return
        cli.triage_lines(options.get("stdin") or sys.stdin, self.stdout)
