"""Cross-validation of the engine: the learned layer never judges a message it learned from.

The labeled rows are dealt into folds stratified by level and language (fixed seed); for each
fold the learned layer is trained on the other folds and the engine (rules, then the learned
layer on top) assesses the fold. The rules are the same in every fold, so where they were
tuned on some of the rows their share of the result is optimistic there.
"""

import random
from collections import defaultdict

from interlude.triage import embedding
from interlude.triage.engine import assess, assess_rules, detect_language
from interlude.triage.learned import SEED, Example, Model, routine_parts
from interlude.triage.rules import languages

FOLDS = 5


def as_example(row):
    """An Example from a labeled (text, lang, level) row; the language detected if missing."""
    text, lang, level = row[:3]
    return Example(text, lang if lang in languages() else detect_language(text), level)


def stratified_folds(rows, folds=FOLDS, seed=SEED):
    """The fold number of each row: every level and language spread evenly over the folds."""
    groups = defaultdict(list)
    for index, row in enumerate(rows):
        groups[(row.level, row.lang)].append(index)
    generator = random.Random(seed)
    fold_of = [0] * len(rows)
    dealt = 0
    for key in sorted(groups):
        members = groups[key]
        generator.shuffle(members)
        for index in members:
            fold_of[index] = dealt % folds
            dealt += 1
    return fold_of


def fold_models(rows, folds=FOLDS, seed=SEED, fold_of=None):
    """(fold, model trained without that fold, indexes of the fold's rows) for every fold;
    fold_of, when given, says the fold of each row (otherwise they are stratified)."""
    fold_of = fold_of or stratified_folds(rows, folds, seed)
    embedded = embedding.embed([row.text for row in rows])  # once, not once per fold
    parts = routine_parts(rows)
    parts_embedded = embedding.embed([part for _, part in parts])
    for fold in range(folds):
        kept = [index for index, f in enumerate(fold_of) if f != fold]
        kept_parts = [number for number, (index, _) in enumerate(parts) if fold_of[index] != fold]
        model = Model([rows[index] for index in kept], seed, embedded=embedded[kept],
                      parts_embedded=parts_embedded[kept_parts])
        yield fold, model, [index for index, f in enumerate(fold_of) if f == fold]


def cross_validate(rows, folds=FOLDS, seed=SEED, fold_of=None):
    """For every labeled (text, lang, level) row, in order: (rules' level, engine's level).

    The engine's level comes from a learned layer that never saw the row; both are assessed
    with the row's own language, as --evaluate does (detected when missing).
    """
    examples = [as_example(row) for row in rows]
    levels = [None] * len(rows)
    for _fold, model, indexes in fold_models(examples, folds, seed, fold_of):
        for index in indexes:
            text, lang = rows[index][:2]
            levels[index] = (assess_rules(text, lang).level, assess(text, lang, model=model).level)
    return levels
