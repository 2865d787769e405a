"""Where the rules read risk words in context, the learned layer's bag of words does not
overrule them: a denial or a past risk for the whole message, a figure of speech for its own
sentence."""

from interlude.triage import assess
from interlude.triage.engine import assess_rules
from tests.triage_learned_support import lantern_model


def test_it_leaves_a_denial_read_by_the_rules_standing():
    text = "I'm not going to hurt myself, I promise"
    assert lantern_model().judge(text, "en").level == "urgent"
    result = assess(text, "en", model=lantern_model())
    assert result.level == "elevated"
    assert "learned.similar" not in [reason.rule for reason in result.reasons]


def test_it_leaves_a_figure_of_speech_read_by_the_rules_standing():
    text = "This homework is killing me"
    assert lantern_model().judge(text, "en").level == "urgent"
    assert assess(text, "en", model=lantern_model()).level == "routine"


def test_it_still_raises_another_sentence_next_to_a_figure_of_speech():
    result = assess("This homework is killing me. The purple lantern is lit.", "en",
                    model=lantern_model())
    assert result.level == "urgent"
    reason = result.reasons[0]
    assert (reason.rule, reason.clause) == ("learned.similar", "The purple lantern is lit")


def test_it_does_not_let_a_denied_everyday_worry_speak_for_the_whole_message():
    text = "Don't panic. The purple lantern is lit tonight."
    assert [reason.modifier for reason in assess_rules(text, "en").reasons] == ["en.negation"]
    result = assess(text, "en", model=lantern_model())
    assert result.level == "urgent"
    assert result.reasons[0].rule == "learned.similar"
