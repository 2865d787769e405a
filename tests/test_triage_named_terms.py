"""A list shared by several rules (the medicines a client may overdose on) is written once in
the data file as a named term and used in patterns as "{drug}"."""

import pytest

from interlude.triage.engine import assess_rules
from interlude.triage.rules import compile_patterns, raw, with_terms


def test_it_writes_a_named_term_out_in_each_pattern():
    terms = {"drug": "xanax|ativan"}
    patterns = with_terms(["took all (my )?({drug})", r"(\w+ ){0,2}pills"], terms)
    assert patterns == ["took all (my )?((?:xanax|ativan))", r"(\w+ ){0,2}pills"]
    assert compile_patterns(patterns).search("i took all my ativan")


def test_it_refuses_a_pattern_that_names_an_unknown_term():
    with pytest.raises(ValueError, match="unknown term {drgu}"):
        with_terms(["took all my {drgu}"], {"drug": "xanax"})


@pytest.mark.parametrize(("lang", "term", "text"), [
    ("en", "drug", "Took all of my {} last night, feel weird"),
    ("es", "farmaco", "Tengo tres cajas de {} guardadas"),
])
def test_the_rules_read_every_medicine_in_the_shared_list(lang, term, text):
    for name in raw(lang)["terms"][term].split("|"):
        assert assess_rules(text.format(name), lang).level == "urgent", name
