"""Cross-validation deals the labeled messages into folds alike in level and language, and the
learned layer never judges a message it learned from."""

from collections import Counter

from interlude.triage import crossval
from interlude.triage.engine import RANK, assess_rules
from tests.triage_learned_support import sample_of_examples

# Folds are dealt and trained the same way on a sample as on all the examples.
EXAMPLES = sample_of_examples()


def test_it_spreads_every_level_and_language_evenly_over_the_folds():
    fold_of = crossval.stratified_folds(EXAMPLES, 5)
    groups = Counter((e.level, e.lang) for e in EXAMPLES)
    for group, size in groups.items():
        per_fold = Counter(f for e, f in zip(EXAMPLES, fold_of, strict=True)
                           if (e.level, e.lang) == group)
        assert set(per_fold) == set(range(5)) if size >= 5 else len(per_fold) == size
        assert max(per_fold.values()) - min(per_fold.values()) <= 1
    assert max(Counter(fold_of).values()) - min(Counter(fold_of).values()) <= 1
    assert crossval.stratified_folds(EXAMPLES, 5) == fold_of  # fixed seed


def test_it_trains_each_fold_s_model_without_that_fold():
    seen = []
    for _fold, model, indexes in crossval.fold_models(EXAMPLES, 3):
        held_out = {EXAMPLES[index] for index in indexes}
        assert held_out and not held_out & set(model.examples)
        assert len(model.examples) + len(held_out) == len(EXAMPLES)
        seen += indexes
    assert sorted(seen) == list(range(len(EXAMPLES)))


def test_it_gives_the_rules_level_and_an_engine_level_never_below_it():
    rows = [(e.text, e.lang, e.level) for e in EXAMPLES[:60]]
    levels = crossval.cross_validate(rows, 3)
    assert [rules for rules, _ in levels] == [assess_rules(t, lang).level for t, lang, _ in rows]
    assert all(RANK[engine] >= RANK[rules] for rules, engine in levels)
