import pytest

from interlude.triage import assess


@pytest.mark.parametrize("text", [
    "I used to think about suicide in college, not anymore",
    "I tried to kill myself years ago, I'm in a good place now",
    "Cuando llegué a este país tuve pensamientos de no querer vivir. Eso ya pasó.",
    "When I was a teenager I used to cut myself",
])
def test_it_marks_past_and_resolved_risk_elevated(text):
    result = assess(text)
    assert result.level == "elevated"
    assert any(reason.modifier for reason in result.reasons)


@pytest.mark.parametrize("text", [
    "I used to think about suicide and lately it's coming back",
    "I tried to kill myself on Sunday",
    "Antes me cortaba y ahora otra vez tengo ganas de cortarme",
])
def test_it_keeps_urgent_when_the_risk_is_recent_or_back(text):
    assert assess(text).level == "urgent"
