"""Risk words that ordinary life uses every day ("a new knife", "I'm an ER nurse, overdoses
are part of the job") make a message urgent only when the learned layer hears risk in the whole
message too; otherwise the message is elevated, still flagged for the clinician, with a reason."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlude.triage.engine import EVERYDAY_CEILING, EVERYDAY_RULE, assess, assess_rules
from interlude.triage.learned import Judgement
from interlude.triage.rules import languages, load, raw

KNIFE = "I got a new knife for my birthday and finally learned to whittle a spoon"
KNIFE_AND_CUTTING = "I got the knife out of the drawer and I want to cut myself tonight"


class FixedModel:
    """A learned layer that hears the same chance of urgency in every message."""

    def __init__(self, urgent):
        self.urgent = urgent

    def judge(self, text, lang, embedded=None):
        level = "urgent" if self.urgent >= 0.5 else "routine"
        return Judgement(level, self.urgent, self.urgent, text)

    def compared_texts(self, texts):
        return [None] * len(texts)

    def explain(self, judgement):
        return "close to: 'a harmless example' (routine)"

    def sentence(self, judgement):
        return judgement.text


def test_the_rules_alone_mark_the_everyday_word_urgent():
    result = assess_rules(KNIFE, "en")
    assert result.level == "urgent"
    assert {reason.words for reason in result.reasons if reason.level == "urgent"} == {"knife"}


def test_it_marks_an_everyday_word_elevated_when_the_learned_layer_hears_little_risk():
    result = assess(KNIFE, "en", model=FixedModel(0.05))
    assert result.level == "elevated"
    first = result.reasons[0]
    assert (first.rule, first.level) == (EVERYDAY_RULE, "elevated")
    assert "knife" in first.words and "0.05" in first.words and "harmless example" in first.words
    lowered = [reason for reason in result.reasons if reason.rule != EVERYDAY_RULE]
    assert lowered and all(reason.modifier == EVERYDAY_RULE for reason in lowered
                           if reason.words == "knife")


def test_it_keeps_the_everyday_word_urgent_when_the_learned_layer_hears_risk():
    assert assess(KNIFE, "en", model=FixedModel(0.6)).level == "urgent"


def test_it_keeps_urgent_at_the_ceiling_itself():
    assert assess(KNIFE, "en", model=FixedModel(EVERYDAY_CEILING)).level == "urgent"


def test_a_risk_act_beside_the_everyday_word_keeps_the_message_urgent():
    result = assess(KNIFE_AND_CUTTING, "en", model=FixedModel(0.0))
    assert result.level == "urgent"
    assert EVERYDAY_RULE not in [reason.rule for reason in result.reasons]


@settings(max_examples=60, deadline=None)
@given(chance=st.floats(min_value=0.0, max_value=1.0))
def test_only_the_learned_chance_decides_an_everyday_word(chance):
    level = assess(KNIFE, "en", model=FixedModel(chance)).level
    assert level == ("urgent" if chance >= EVERYDAY_CEILING else "elevated")
    assert assess(KNIFE_AND_CUTTING, "en", model=FixedModel(chance)).level == "urgent"


@pytest.mark.parametrize("text, lang", [
    ("Soy enfermera de urgencias, las sobredosis son parte del turno. Nos vemos el jueves", "es"),
    ("my son's science fair project is about why leaves die in the fall, he is so proud", "en"),
])
def test_the_shipped_learned_layer_reads_ordinary_days_as_not_urgent(text, lang):
    assert assess_rules(text, lang).level == "urgent"
    result = assess(text, lang)
    assert result.level == "elevated"
    assert result.reasons[0].rule == EVERYDAY_RULE


@pytest.mark.parametrize("text, lang", [
    ("he is standing outside my door with a knife", "en"),
    ("tengo el cuchillo en la mano y no sé qué hacer", "es"),
    ("i took an overdose an hour ago and i feel weird", "en"),
])
def test_the_shipped_learned_layer_keeps_danger_urgent(text, lang):
    assert assess(text, lang).level == "urgent"


@pytest.mark.parametrize("lang", languages())
def test_every_everyday_word_is_one_an_urgent_rule_fires_on_alone(lang):
    everyday = load(lang).everyday
    assert everyday
    for word in everyday:
        result = assess_rules(word, lang)
        assert result.level == "urgent", word
        assert {reason.words for reason in result.reasons if reason.level == "urgent"} == {word}


@pytest.mark.parametrize("lang", languages())
def test_it_never_lists_a_word_that_names_the_clients_own_act(lang):
    acts = {"overdosed", "suicidal", "kms", "unalive", "cut", "matarme", "suicidarme",
            "tirarme", "ahorcarme", "me", "myself"}
    assert not acts & set(raw(lang)["everyday_words"]["words"])
