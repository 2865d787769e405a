"""Command-line face of the triage engine (no Django needed).

    python -m interlude.triage.cli < messages.txt        one JSON line per message
    python -m interlude.triage.cli --evaluate FILE.jsonl recall, precision, confusion matrix
    python -m interlude.triage.cli --cross-validate FILE.jsonl [--folds 5]
                                                  the same, with the learned layer retrained
                                                  without each fold, then for the rules alone
    python -m interlude.triage.cli --cross-validate SET1.jsonl SET2.jsonl ...
                                                  the same, each set one fold

Input lines are plain text, or JSON objects with a `text` field (and optionally `lang`).
"""

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from interlude.triage import crossval
from interlude.triage.engine import LEVELS, assess_many


def parse_line(line):
    """(text, lang) from a plain or a JSON line; None for a blank line."""
    line = line.rstrip("\r\n")
    if not line.strip():
        return None
    if line.lstrip().startswith("{"):
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            return line, None
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            return data["text"], data.get("lang")
    return line, None


BATCH = 64  # lines assessed together: fast, and a pipe still sees answers as it goes


def triage_lines(lines, out):
    """Write one JSON line with level and reasons for each message line."""
    batch = []
    for line in lines:
        parsed = parse_line(line)
        if parsed is not None:
            batch.append(parsed)
        if len(batch) == BATCH:
            write_results(batch, out)
            batch = []
    write_results(batch, out)


def write_results(batch, out):
    for result in assess_each(batch):
        out.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
    out.flush()


def assess_each(rows):
    """Results for (text, lang) rows in order, each language given or detected per row."""
    results = [None] * len(rows)
    by_lang = defaultdict(list)
    for index, (_text, lang) in enumerate(rows):
        by_lang[lang].append(index)
    for lang, indexes in by_lang.items():
        found = assess_many([rows[index][0] for index in indexes], lang)
        for index, result in zip(indexes, found, strict=True):
            results[index] = result
    return results


def tally(pairs):
    """{expected: {assessed: count}} over (expected, assessed) level pairs."""
    matrix = {expected: dict.fromkeys(LEVELS, 0) for expected in LEVELS}
    for expected, assessed in pairs:
        matrix[expected][assessed] += 1
    return matrix


def confusion(rows):
    """{expected: {assessed: count}} over labeled rows of (text, lang, expected)."""
    rows = list(rows)
    assessed = assess_each([(text, lang) for text, lang, _ in rows])
    return tally((expected, result.level)
                 for (_, _, expected), result in zip(rows, assessed, strict=True))


def scores(matrix):
    """{level: (recall, precision, support)}; None where nothing to divide by."""
    result = {}
    for level in LEVELS:
        support = sum(matrix[level].values())
        assessed = sum(matrix[expected][level] for expected in LEVELS)
        hits = matrix[level][level]
        result[level] = (hits / support if support else None,
                         hits / assessed if assessed else None, support)
    return result


def read_labeled(path):
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            data = json.loads(line)
            if data.get("level") not in LEVELS:
                raise ValueError(f"line {number}: level must be one of {', '.join(LEVELS)}")
            rows.append((data["text"], data.get("lang"), data["level"]))
    return rows


def report(matrix):
    """The evaluation as text: per-level recall and precision, then the confusion matrix."""
    def figure(value):
        return "n/a" if value is None else f"{value:.3f}"

    lines = [f"{'level':<10}{'recall':>8}{'precision':>11}{'support':>9}"]
    for level, (recall, precision, support) in scores(matrix).items():
        lines.append(f"{level:<10}{figure(recall):>8}{figure(precision):>11}{support:>9}")
    routine = sum(matrix["routine"].values())
    share = matrix["routine"]["urgent"] / routine if routine else None
    lines += ["", f"routine marked urgent: {figure(share)}", "",
              "confusion matrix (rows: labeled, columns: assessed)",
              f"{'':<10}" + "".join(f"{level:>10}" for level in LEVELS)]
    for expected in LEVELS:
        lines.append(f"{expected:<10}" + "".join(f"{matrix[expected][level]:>10}"
                                                 for level in LEVELS))
    return "\n".join(lines) + "\n"


def evaluate(path, out):
    out.write(report(confusion(read_labeled(path))))


def cross_validate(paths, out, folds=crossval.FOLDS):
    """The report for the engine out of fold, then for the rules alone (the same in each fold).

    Given one file, its rows are dealt into folds. Given several, each file is a fold: the
    learned layer never judges a set it learned any of, as with a set written by a new hand
    (sets written by one person share wording that random folds would split).
    """
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    sets = [read_labeled(path) for path in paths]
    rows = [row for rows in sets for row in rows]
    if len(sets) > 1:
        fold_of = [number for number, rows in enumerate(sets) for _row in rows]
        levels = crossval.cross_validate(rows, len(sets), fold_of=fold_of)
        kind = f"leave-one-set-out cross-validation ({len(sets)} sets)"
    else:
        levels = crossval.cross_validate(rows, folds)
        kind = f"{folds}-fold cross-validation"
    for title, column in (("rules and learned layer", 1), ("rules alone", 0)):
        out.write(f"{title}, {kind} over {len(rows)} messages\n")
        out.write(report(tally((row[2], pair[column]) for row, pair in zip(rows, levels,
                                                                          strict=True))))
        out.write("\n")


def folds_number(value):
    """argparse type: a whole number of folds, at least 2."""
    if not value.isdigit() or int(value) < 2:
        raise argparse.ArgumentTypeError("folds must be a whole number of at least 2")
    return int(value)


def main(argv=None, stdin=None, stdout=None):
    parser = argparse.ArgumentParser(prog="interlude triage", description=__doc__.split("\n")[0])
    parser.add_argument("--evaluate", metavar="FILE.jsonl",
                        help="labeled lines with `text` and `level`: print recall, precision "
                             "and the confusion matrix")
    parser.add_argument("--cross-validate", metavar="FILE.jsonl", nargs="+",
                        help="labeled lines: the same report with the learned layer trained "
                             "without each fold in turn; given several files, each file is "
                             "a fold")
    parser.add_argument("--folds", type=folds_number, default=crossval.FOLDS,
                        help=f"folds for --cross-validate (default {crossval.FOLDS})")
    args = parser.parse_args(argv)
    stdout = stdout or sys.stdout
    if args.cross_validate:
        cross_validate(args.cross_validate, stdout, args.folds)
    elif args.evaluate:
        evaluate(args.evaluate, stdout)
    else:
        triage_lines(stdin or sys.stdin, stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
