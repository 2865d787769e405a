"""A laughing emoji marks a joke the way "lol" and "jaja" do, so the exceptions that know a
laugh know it too; a threat or a fear beside it still keeps the message urgent."""

import pytest

from interlude.triage import assess, normalize
from interlude.triage.rules import languages, load


def test_it_spells_a_laughing_emoji_as_each_languages_laugh():
    assert normalize.sentences("ok 😂", load("en"))[0].words == ["ok", "lol"]
    assert normalize.sentences("ok 🤣", load("es"))[0].words == ["ok", "jaja"]


@pytest.mark.parametrize("lang", languages())
def test_it_spells_every_emoji_the_tokenizer_keeps_in_every_language(lang):
    # The tokenizer keeps these emoji as words; a lexicon without them would let them through
    # as unknown words, and the joke exceptions would not see the laugh.
    laugh = load(lang).shorthand[normalize.LAUGHS[0]]
    for emoji in normalize.LAUGHS:
        assert normalize.sentences(f"ok {emoji}", load(lang))[0].words == ["ok", laugh]


def test_it_reads_a_joke_with_a_laughing_emoji_as_routine():
    assert assess("I could strangle her 😂 she booked a salsa class without asking", "en").level \
        == "routine"
    assert assess("Lo mato 😂 se gastó la plata de la luz en unos tenis", "es").level == "routine"


def test_it_keeps_danger_beside_a_laughing_emoji_urgent():
    assert assess("he hit me again 😂 I'm scared to go home", "en").level == "urgent"
