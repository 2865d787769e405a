"""The learned layer compares what messages mean, not only the words they share: a message
is close to an example that says the same thing in other words, or in the other language."""

from functools import cache

from interlude.triage.embedding import embed
from tests.triage_learned_support import english_model

URGENT = ("Everyone would be better off without me.",
          "I won't be a burden to anyone much longer.",
          "This is goodbye. Thank you for everything you did.")
ROUTINE = ("Can we move Thursday's session to the afternoon?",
           "I finished the worksheet you gave me.",
           "The invoice for October looks wrong, it was charged twice.")


@cache
def small_model():
    return english_model(URGENT, ROUTINE)


def nearest_text(text, lang):
    judgement = small_model().judge(text, lang)
    return small_model().nearest(judgement, 1)[0][0].text, judgement


def test_it_finds_the_example_that_says_the_same_in_spanish():
    text, judgement = nearest_text("Pronto dejaré de ser una carga para todos.", "es")
    assert text == "I won't be a burden to anyone much longer."
    assert judgement.level == "urgent"


def test_it_finds_the_example_that_says_the_same_in_other_words():
    text, judgement = nearest_text("Could we shift our Thursday appointment to later in the day?",
                                   "en")
    assert text == "Can we move Thursday's session to the afternoon?"
    assert judgement.level == "routine"


def test_it_weighs_each_nearby_example_by_how_close_it_is():
    model = small_model()
    similarity, _, _ = model.read(embed(["I won't be a burden to anyone much longer."])[0])
    urgent, elevated = model.vote(similarity)
    assert 0.5 < urgent < 1.0  # the routine examples are near too, only further away
    assert elevated == urgent  # no example here is elevated
