"""A laughing emoji marks a joke the way "lol" and "jaja" do, so the exceptions that know a
laugh know it too; a threat or a fear beside it still keeps the message urgent."""

from interlude.triage import assess, normalize
from interlude.triage.rules import load


def test_it_spells_a_laughing_emoji_as_each_languages_laugh():
    assert normalize.sentences("ok 😂", load("en"))[0].words == ["ok", "lol"]
    assert normalize.sentences("ok 🤣", load("es"))[0].words == ["ok", "jaja"]


def test_it_reads_a_joke_with_a_laughing_emoji_as_routine():
    assert assess("I could strangle her 😂 she booked a salsa class without asking", "en").level \
        == "routine"
    assert assess("Lo mato 😂 se gastó la plata de la luz en unos tenis", "es").level == "routine"


def test_it_keeps_danger_beside_a_laughing_emoji_urgent():
    assert assess("he hit me again 😂 I'm scared to go home", "en").level == "urgent"
