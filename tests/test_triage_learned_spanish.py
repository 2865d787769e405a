"""The learned layer reads Spanish with the Spanish lexicon's normalisation, and finds the
examples that mean the same, in Spanish or in English."""

from interlude.triage import assess
from interlude.triage.engine import assess_rules
from interlude.triage.learned import model

TEXT = "cada noche le pido a Dios que ya no me deje amanecer"


def test_it_raises_veiled_risk_in_spanish_and_keeps_the_language():
    assert assess_rules(TEXT).level != "urgent"
    result = assess(TEXT)
    assert (result.level, result.lang) == ("urgent", "es")
    assert result.reasons[0].rule == "learned.similar"


def test_it_finds_examples_that_mean_the_same_in_either_language():
    # Spanish examples that say it nearly word for word may come first; among the ten
    # nearest, the English one must be there too.
    judged = model().judge(TEXT, "es")
    nearest = [example.text for example, _, _ in model().nearest(judged, count=10)]
    assert "some nights I pray I don't wake up" in nearest
    assert any("despertar" in text for text in nearest)


def test_it_reads_accents_and_shorthand_as_the_rules_do():
    written = model().judge("Cada noche le pido a Dios q ya no me deje amanecer", "es")
    spelled_out = model().judge("cada noche le pido a dios que ya no me deje amanecer", "es")
    # The words view reads both alike; the meaning view may differ by a hair.
    assert written.vector == spelled_out.vector
    assert written.level == spelled_out.level == "urgent"
