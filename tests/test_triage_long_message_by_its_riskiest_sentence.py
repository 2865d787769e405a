"""A long message is judged by meaning sentence by sentence: its mundane parts would
otherwise drown one sentence at risk, and make any long message sound like the long examples."""

from functools import cache

from interlude.triage import embedding
from interlude.triage.learned import LONG
from tests.triage_learned_support import english_model

URGENT = ("I won't be a burden to anyone much longer.",
          "I've been saving my pills and I know when I'll take them.")
ROUTINE = ("Can we move Thursday's session to the afternoon?",
           "I finished the worksheet you gave me.",
           "My daughter started school this week and loves it.",
           "The new insurance card should reach the front desk soon.")
MUNDANE = ("Thanks for the worksheet, I finished it on Sunday and it helped more than I expected. "
           "My daughter started school this week and after a rough first morning she loves it. "
           "The new insurance card should reach the front desk soon, and I can do Tuesday at "
           "four or Thursday morning, whichever suits you best. ")


@cache
def small_model():
    return english_model(URGENT, ROUTINE)


def test_it_hears_one_sentence_at_risk_in_a_long_mundane_message():
    text = MUNDANE + "I won't be a burden to anyone much longer. Have a good weekend."
    assert len(text.split()) >= LONG
    judgement = small_model().judge(text, "en")
    assert judgement.level == "urgent"


def test_it_keeps_the_same_long_message_without_that_sentence_routine():
    text = MUNDANE + "Have a good weekend."
    assert len(text.split()) >= LONG
    assert small_model().judge(text, "en").level == "routine"


def test_a_batch_embeds_a_long_message_by_its_sentences_only(monkeypatch):

    long_text = MUNDANE + "I won't be a burden to anyone much longer. Have a good weekend."
    short_text = "Can we move Thursday's session to the afternoon?"
    embedded = []
    real = embedding.embed

    def recording(texts):
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(embedding, "embed", recording)
    found = small_model().compared_texts([long_text, short_text])
    assert found[0] is None and found[1] is not None
    assert small_model().judge(long_text, "en", embedded=found[0]).level == "urgent"
    # Embedding the whole long message as well would be wasted: only its sentences are read.
    assert long_text not in embedded and short_text in embedded
    assert "I won't be a burden to anyone much longer" in embedded
