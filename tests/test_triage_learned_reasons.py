"""A learned reason quotes the labeled examples the message is closest to, with their level,
and the client's sentence that weighed most."""

import re

from interlude.triage import assess
from interlude.triage.learned import read_examples
from tests.triage_learned_support import URGENT, lantern_model

QUOTED = re.compile(r"'(.+?)' \((routine|elevated|urgent)\)")


def test_it_names_the_nearest_labeled_examples_and_their_level():
    result = assess("I saw a purple lantern in the window", "en", model=lantern_model())
    reason = result.reasons[0]
    assert (reason.rule, reason.category, reason.level) == ("learned.similar",
                                                            "similar_messages", "urgent")
    assert reason.words.startswith("close to: ")
    quoted = QUOTED.findall(reason.words)
    assert 1 <= len(quoted) <= 3
    assert {level for _, level in quoted} == {"urgent"}
    assert quoted[0][0] in URGENT and "purple lantern" in quoted[0][0]
    assert reason.clause == "I saw a purple lantern in the window"


def test_it_quotes_shipped_examples_shortened_from_their_weightiest_sentence():
    text = "Hi, quick one about Tuesday. Everyone would honestly be fine without me around."
    result = assess(text)
    reason = result.reasons[0]
    assert reason.rule == "learned.similar"
    assert reason.clause == "Everyone would honestly be fine without me around"
    urgent_texts = [" ".join(e.text.split()) for e in read_examples() if e.level == "urgent"]
    for excerpt, level in QUOTED.findall(reason.words):
        assert level == "urgent" and len(excerpt) <= 82
        assert any(excerpt.removesuffix(" …") in text for text in urgent_texts), excerpt


def test_it_ranks_the_nearest_example_first():
    judgement = lantern_model().judge("the purple lantern is calling me again", "en")
    nearest = lantern_model().nearest(judgement)
    assert nearest[0][0].text == "the purple lantern is calling me again"
    similarities = [similarity for _, _, similarity in nearest]
    assert similarities == sorted(similarities, reverse=True)
