"""The learned layer hears risk worded unlike any rule, from the labeled examples it learned."""

import pytest

from interlude.triage import assess
from interlude.triage.engine import assess_rules
from tests.triage_learned_support import lantern_model


@pytest.mark.parametrize("text", [
    "everyone would honestly be fine without me around, they'd get over it",
    "Ya les regalé mi guitarra y mis libros a mis sobrinos, no los voy a necesitar",
])
def test_it_raises_veiled_risk_that_the_rules_miss_to_urgent(text):
    assert assess_rules(text).level != "urgent"
    result = assess(text)
    assert result.level == "urgent"
    assert result.reasons[0].rule == "learned.similar"


def test_it_raises_a_message_close_to_urgent_examples_with_no_risk_words_at_all():
    text = "I saw a purple lantern in the window"
    assert assess_rules(text, "en").reasons == []
    result = assess(text, "en", model=lantern_model())
    assert result.level == "urgent"
    assert [reason.rule for reason in result.reasons] == ["learned.similar"]


def test_it_leaves_a_message_close_to_routine_examples_alone():
    result = assess("see you Thursday at noon", "en", model=lantern_model())
    assert (result.level, result.reasons) == ("routine", [])
