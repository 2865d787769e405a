"""Where the rules read risk words in context, the learned layer does not overrule them while it
is unsure: a denial or a past risk speaks for the whole message, a figure of speech for its own
sentence. (Where it is nearly sure, see test_triage_learned_sure_urgency_stands_over_context.)"""

from interlude.triage import assess
from interlude.triage.engine import CONTEXT_OVERRULED, assess_rules
from tests.triage_learned_support import SteeredLantern, lantern_model


def unsure():
    """Still judging the message urgent, but not surely: just under CONTEXT_OVERRULED."""
    return SteeredLantern(CONTEXT_OVERRULED - 0.01, at_most=True)


def test_it_leaves_a_denial_read_by_the_rules_standing():
    text = "I'm not going to hurt myself, I promise"
    assert lantern_model().judge(text, "en").level == "urgent"
    result = assess(text, "en", model=unsure())
    assert result.level == "elevated"
    assert "learned.similar" not in [reason.rule for reason in result.reasons]


def test_it_leaves_a_figure_of_speech_read_by_the_rules_standing():
    text = "This homework is killing me"
    assert lantern_model().judge(text, "en").level == "urgent"
    assert assess(text, "en", model=unsure()).level == "routine"


def test_it_still_raises_another_sentence_next_to_a_figure_of_speech():
    result = assess("This homework is killing me. The purple lantern is lit.", "en",
                    model=unsure())
    assert result.level == "urgent"
    reason = result.reasons[0]
    assert (reason.rule, reason.clause) == ("learned.similar", "The purple lantern is lit")
    assert "heard over" not in reason.words


def test_it_does_not_let_a_denied_everyday_worry_speak_for_the_whole_message():
    text = "Don't panic. The purple lantern is lit tonight."
    assert [reason.modifier for reason in assess_rules(text, "en").reasons] == ["en.negation"]
    result = assess(text, "en", model=unsure())
    assert result.level == "urgent"
    assert result.reasons[0].rule == "learned.similar"
