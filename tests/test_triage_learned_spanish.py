"""The learned layer reads Spanish with the Spanish lexicon's normalisation and finds Spanish
examples close to it."""

from interlude.triage import assess
from interlude.triage.engine import assess_rules
from interlude.triage.learned import model

TEXT = "cada noche le pido a Dios que ya no me deje amanecer"


def test_it_raises_veiled_risk_in_spanish_and_keeps_the_language():
    assert assess_rules(TEXT).level != "urgent"
    result = assess(TEXT)
    assert (result.level, result.lang) == ("urgent", "es")
    assert result.reasons[0].rule == "learned.similar"


def test_it_finds_spanish_examples_closest_to_a_spanish_message():
    nearest = model().nearest(model().judge(TEXT, "es"))
    assert nearest and {example.lang for example, _, _ in nearest} == {"es"}


def test_it_reads_accents_and_shorthand_as_the_rules_do():
    written = model().judge("Cada noche le pido a Dios q ya no me deje amanecer", "es")
    spelled_out = model().judge("cada noche le pido a dios que ya no me deje amanecer", "es")
    assert written.urgent == spelled_out.urgent
