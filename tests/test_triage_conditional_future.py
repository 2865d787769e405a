import pytest

from interlude.triage import assess


@pytest.mark.parametrize("text", [
    "If she leaves me I'll kill myself",
    "I might take my own life tonight",
    "Tomorrow I'm going to end it all",
    "si no cambia nada me voy a matar",
    "quizás esta noche me tome todas las pastillas",
])
def test_it_keeps_conditional_and_future_risk_urgent(text):
    assert assess(text).level == "urgent"
