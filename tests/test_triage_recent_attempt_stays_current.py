"""An attempt told with a recent time ("anoche", "an hour ago") stays urgent when the client adds
that they feel better now: the guideline counts a recent attempt as urgent, and a client's guess
at their own state after an overdose is not safety. An attempt years ago that is over is
history (elevated), even when the message mentions today."""

import pytest

from interlude.triage.engine import assess_rules


@pytest.mark.parametrize("text, lang", [
    ("ayer me tomé todo lo que había en el botiquín, vomité y ya estoy mejor creo", "es"),
    ("I overdosed on my sleeping pills last night but I'm fine now", "en"),
    ("took like 20 of my sleeping pills an hour ago, im ok now i think", "en"),
])
def test_it_keeps_a_recent_attempt_urgent_when_the_client_says_they_are_better(text, lang):
    assert assess_rules(text, lang).level == "urgent"


@pytest.mark.parametrize("text, lang", [
    ("Hace años intenté quitarme la vida, eso ya pasó y estoy bien, pero hoy vi una noticia "
     "que me removió todo.", "es"),
    ("I took an overdose years ago, I'm fine now", "en"),
    ("I had an overdose in 2019 that was on purpose. I'm not in that place now, at all.", "en"),
])
def test_it_reads_an_attempt_long_ago_as_history(text, lang):
    assert assess_rules(text, lang).level == "elevated"


def test_a_usual_dose_is_not_read_as_an_overdose():
    text = "Took 2 Ativan instead of 1 last night because I couldn't sleep. I'm worried."
    assert assess_rules(text, "en").level != "urgent"
