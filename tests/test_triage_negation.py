import pytest

from interlude.triage import assess


@pytest.mark.parametrize("text", [
    "I'm not suicidal, just exhausted",
    "I would never kill myself, my kids need me",
    "I'm not going to hurt myself, I promise",
    "No voy a matarme, solo estoy agotada",
    "I have no thoughts of suicide, I'm just worn out",
])
def test_it_lowers_a_fully_denied_risk_to_elevated(text):
    result = assess(text)
    assert result.level == "elevated"
    assert any(reason.modifier and "negation" in reason.modifier for reason in result.reasons)


@pytest.mark.parametrize("text", [
    "I don't know why I want to die",
    "If I don't get help I'm going to kill myself",
    "I'm not sad, I want to die",
    "ya no quiero vivir",
    "no tengo ganas de vivir",
    "I have no will to live",
])
def test_it_keeps_urgent_when_the_negation_does_not_deny_the_risk(text):
    assert assess(text).level == "urgent"
