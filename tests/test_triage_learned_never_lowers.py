"""The rules are the floor: the learned layer may raise a level, never lower one, except a
message made urgent by everyday words alone, which it may mark elevated (never routine)."""

from interlude.triage import assess
from interlude.triage.engine import (
    EVERYDAY_RULE,
    RANK,
    assess_many,
    assess_rules,
    read_as_everyday,
)
from tests.triage_learned_support import deaf_model, sample_of_examples


def test_it_keeps_the_rules_urgent_when_the_learned_layer_hears_nothing():
    text = "I want to kill myself tonight"
    assert deaf_model().judge(text, "en").level == "routine"
    result = assess(text, "en", model=deaf_model())
    assert result.level == "urgent"
    assert result.reasons == assess_rules(text, "en").reasons


def test_it_keeps_the_rules_elevated_when_the_learned_layer_hears_nothing():
    text = "I'm not suicidal, just exhausted"
    assert assess(text, "en", model=deaf_model()).level == "elevated"


def test_it_never_assesses_a_labeled_example_below_the_rules():
    for lang in ("en", "es"):
        # the floor is structural, so a sample shows it
        examples = [example for example in sample_of_examples() if example.lang == lang]
        assessed = assess_many([example.text for example in examples], lang)  # as assess does
        for example, engine in zip(examples, assessed, strict=True):
            rules = assess_rules(example.text, example.lang)
            if engine.reasons and engine.reasons[0].rule == EVERYDAY_RULE:
                assert (rules.level, engine.level) == ("urgent", "elevated"), example.id
                rules = read_as_everyday(rules)
            assert RANK[engine.level] >= RANK[rules.level], example.id
            assert all(reason in engine.reasons for reason in rules.reasons), example.id

