"""The broad risk-cue layer: differently worded risk is heard, everyday words are not."""

import pytest

from interlude.triage import assess


@pytest.mark.parametrize("text", [
    "I put my affairs in order today and found a home for my cat",
    "I keep thinking everyone's lives would be easier without me in them",
    "I took 20 of my sleeping pills about an hour ago",
    "I walked to the train station and stood too close to the edge for a long time",
    "He put his hands around my throat last night and he's coming back tonight",
    "I'm afraid I'll snap and hurt my roommate",
    "Already wrote the goodbye texts, just need to send them",
    "Dejé todo listo para que mis hijos no tengan problemas cuando yo ya no esté",
    "Ya no aguanto, esta noche se acaba todo",
    "Mi padrastro entra a mi cuarto por las noches y tengo miedo",
])
def test_it_hears_risk_worded_unlike_any_rule_example(text):
    result = assess(text)
    assert result.level == "urgent"
    assert any(".cue." in reason.rule for reason in result.reasons if reason.level == "urgent")


@pytest.mark.parametrize("text", [
    "My plants are dying because I forgot to water them",
    "I got a new blood test scheduled for Monday",
    "The knife skills class was fun, I'm learning to cook",
    "Said goodbye to my old car today, sold it",
    "We talked about death in my philosophy class today",
    "Saludos, adiós y gracias por todo, nos vemos en la próxima sesión",
    "Mañana tengo análisis de sangre, ¿podemos mover la cita?",
])
def test_it_leaves_everyday_uses_of_risk_words_routine(text):
    assert assess(text).level == "routine"


def test_it_does_not_let_another_language_reread_words_already_read_in_context():
    result = assess("We're reading a book on suicide prevention in my nursing class")
    assert (result.level, result.lang) == ("routine", "en")
    assert result.reasons and all(reason.modifier for reason in result.reasons)


def test_it_quotes_the_client_words_and_the_cue_rule():
    result = assess("Honestly I'm just waiting for the right moment to go")
    reason = next(r for r in result.reasons if r.rule == "en.cue.death_wish")
    assert (reason.level, reason.category) == ("urgent", "suicidal_ideation")
    assert reason.words == "right moment to go"
