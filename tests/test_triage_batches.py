"""Triaging messages in a batch (the command line, a bulk job) gives exactly what triaging
each alone gives, reasons included; only the sentence embeddings are computed together."""

from interlude.triage import assess
from interlude.triage.engine import assess_many
from interlude.triage.learned import read_examples


def test_it_gives_the_same_results_in_a_batch_as_one_by_one():
    texts = [example.text for example in read_examples()[::25]]
    texts += ["", "Okay", "me muero de ganas de verte", "kms"]
    assert assess_many(texts) == [assess(text) for text in texts]


def test_it_takes_the_language_given_for_the_whole_batch():
    results = assess_many(["no puedo más", "ya no quiero estar aquí"], "es")
    assert [result.lang for result in results] == ["es", "es"]


def test_it_returns_nothing_for_no_messages():
    assert assess_many([]) == []
