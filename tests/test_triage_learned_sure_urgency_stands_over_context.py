"""A denial that leaves the risk open is urgent (triage guideline), but the rules read only the
denial ("I'm not suicidal. ... Permanently would be fine."). Where the learned layer is nearly
sure a message is urgent, its reading stands over the rules' denial, and the reason
says so; the rules' own reasons stay listed beside it for the clinician. A past told as over
and a figure of speech always stand: the guideline makes a resolved past elevated, and a
figure of speech is a reading of those very words."""

import pytest

from interlude.triage import assess
from interlude.triage.engine import CONTEXT_OVERRULED, LEARNED_RULE
from tests.triage_learned_support import SteeredLantern

DENIAL = "I'm not going to hurt myself, I promise"
FIGURE = "This homework is killing me"
PAST = "I used to stand on the bridge and think about jumping, not anymore"


def test_it_marks_a_denial_urgent_when_the_learned_layer_is_nearly_sure():
    result = assess(DENIAL, "en", model=SteeredLantern(CONTEXT_OVERRULED))
    assert result.level == "urgent"
    first = result.reasons[0]
    assert first.rule == LEARNED_RULE
    assert f"{CONTEXT_OVERRULED:.2f}" in first.words and "heard over" in first.words
    assert "negation" in first.words
    # the rules' denial is still shown, lowered as they read it
    assert [reason.modifier for reason in result.reasons[1:]] == ["en.negation"] * (
        len(result.reasons) - 1)


@pytest.mark.parametrize(("text", "level"), [(FIGURE, "routine"), (PAST, "elevated")])
def test_it_leaves_a_figure_of_speech_or_a_past_standing_however_sure_it_is(text, level):
    result = assess(text, "en", model=SteeredLantern(0.99))
    assert result.level == level
    assert LEARNED_RULE not in [reason.rule for reason in result.reasons]


@pytest.mark.parametrize("text", [DENIAL, FIGURE])
def test_it_leaves_the_rules_reading_standing_just_under_that_line(text):
    result = assess(text, "en", model=SteeredLantern(CONTEXT_OVERRULED - 0.01))
    assert result.level != "urgent"
    assert LEARNED_RULE not in [reason.rule for reason in result.reasons]


def test_it_hears_an_open_ended_denial_with_the_shipped_examples():
    text = ("No voy a hacer nada esta noche, tranquila. Mañana ya veremos, "
            "tú sabes a qué me refiero.")
    assert assess(text, "es").level == "urgent"
