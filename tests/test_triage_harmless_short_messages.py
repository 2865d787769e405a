"""A short message with no risk content is never urgent: an urgent message pages the on-call
clinician at night, so the learned layer needs a higher chance to raise a message of fewer
than five words; a short message that sounds at risk is still raised."""

import pytest

from interlude.triage import assess

HARMLESS = [
    ("Hi!", "en"),
    ("Good morning", "en"),
    ("Thanks so much.", "en"),
    ("One more question.", "en"),
    ("See you soon", "en"),
    ("I read the chapter you sent.", "en"),
    ("The reflection sheet is finished.", "en"),
    ("My brother visited last weekend.", "en"),
    ("I have news about school to share.", "en"),
    ("Can we talk about my mother on Friday?", "en"),
    ("I'm still doing the breathing exercise every morning.", "en"),
    ("Running late, be there in ten.", "en"),
    ("Hola", "es"),
    ("Buenas tardes", "es"),
    ("Una cosa más.", "es"),
    ("Ya terminé la hoja de registro.", "es"),
    ("Gracias por la sesión de ayer.", "es"),
    ("Quiero contarte algo de mi trabajo.", "es"),
    ("Sigo haciendo los ejercicios de respiración", "es"),
    ("¿Podemos hablar de mi papá la próxima vez?", "es"),
    ("Llego cinco minutos tarde.", "es"),
    ("Mi hermana vino a cenar el domingo.", "es"),
    ("I want to end it with my boyfriend", "en"),
]
REPORTED = [
    ("Hello there", None),
    ("And one more thing.", None),
    ("My worksheet is done.", None),
    ("A question about my new job keeps coming back. Could we put it on the list for next time?",
     None),
    ("Sigo tomando mis pastillas", None),
]

# Not urgent, yet close in words or in meaning to labeled urgent examples ("I keep thinking
# about it", "I wish I could sleep and not wake up"); known false alarms, strict so that a fix
# is noticed.
STILL_URGENT = [
    ("I keep thinking about what you said.", None),
    ("I feel really hopeless and I cannot sleep at all.", "en"),  # elevated, read as urgent
]


@pytest.mark.parametrize(("text", "lang"), HARMLESS + REPORTED)
def test_it_does_not_mark_a_short_harmless_message_urgent(text, lang):
    assert assess(text, lang).level != "urgent"


@pytest.mark.xfail(strict=True, reason="close to labeled urgent examples in words alone")
@pytest.mark.parametrize(("text", "lang"), STILL_URGENT)
def test_it_does_not_yet_tell_these_messages_from_urgent_ones(text, lang):
    assert assess(text, lang).level != "urgent"


@pytest.mark.parametrize(("text", "lang"), [("can't keep going anymore", "en"),
                                             ("ya no aguanto más", "es")])
def test_it_still_raises_a_short_message_that_sounds_at_risk(text, lang):
    assert assess(text, lang).level == "urgent"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_it_keeps_a_message_too_short_to_judge_at_the_rules_level(lang):
    assert assess("Okay", lang).level == "routine"


def test_it_still_raises_a_veiled_urgent_message_without_risk_words():
    result = assess("Everyone would honestly be fine without me around. I've made my peace.")
    assert result.level == "urgent"
    assert result.reasons[0].rule == "learned.similar"
