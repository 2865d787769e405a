import pytest

from interlude.triage import assess


@pytest.mark.parametrize("text", [
    "I'm not going to do anything tonight, I can't promise about tomorrow",
    "I'm not going to do anything tonight. Can't really promise about tomorrow though.",
    "Not suicidal for now",
    "Esta noche no voy a hacer nada. Mañana no le prometo nada.",
    "Por ahora no voy a matarme",
])
def test_it_keeps_a_denial_that_leaves_risk_open_urgent(text):
    assert assess(text).level == "urgent"


def test_it_names_the_open_ended_words_in_the_reasons():
    result = assess("I won't kill myself tonight, no promises about tomorrow")
    assert result.level == "urgent"
    assert "en.open_ended" in [reason.modifier for reason in result.reasons]
