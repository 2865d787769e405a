"""Spanish "antes de que..." sets a deadline and "para no..." gives a purpose: neither is the
past or a denial, so risk said with them stays urgent; plain "antes" and "no" keep their
meaning."""

import pytest

from interlude.triage import assess


@pytest.mark.parametrize("text", [
    "He estado pensando que lo mejor sería quitarme la vida antes de que termine el semestre",
    "Quiero quitarme la vida antes del viernes",
    "Me quiero ir para no seguir siendo una carga",
])
def test_it_reads_a_deadline_or_a_purpose_as_urgent(text):
    assert assess(text, "es").level == "urgent"


def test_it_still_reads_plain_antes_as_the_past():
    result = assess("Antes pensaba en quitarme la vida. Ya no.", "es")
    assert result.level == "elevated"
    assert any(reason.modifier == "es.past" for reason in result.reasons)


def test_it_still_reads_plain_no_as_a_denial():
    result = assess("No quiero quitarme la vida, solo estoy cansada", "es")
    assert result.level == "elevated"
    assert any(reason.modifier == "es.negation" for reason in result.reasons)
