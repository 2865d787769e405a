"""Every rule, exception and modifier in the data files is checked against its own examples.

Each positive example must reach the rule's level with that rule among the reasons, so a
rule whose patterns are removed or broken fails here; each counter-example must reach its
stated level. These check the rules alone: the learned layer on top may raise a level.
"""

import pytest

from interlude.triage.engine import assess_rules as assess
from interlude.triage.rules import languages, raw


def entries(section):
    return [(lang, entry) for lang in languages() for entry in raw(lang)[section]]


def cases(section, field):
    return [pytest.param(lang, entry, example, id=f"{entry['id']}:{index}")
            for lang, entry in entries(section)
            for index, example in enumerate(entry.get(field, []))]


@pytest.mark.parametrize(("lang", "rule", "text"), cases("rules", "examples"))
def test_it_matches_each_rule_on_its_examples(lang, rule, text):
    result = assess(text, lang)
    assert result.level == rule["level"]
    assert rule["id"] in [r.rule for r in result.reasons if r.level == rule["level"]]


@pytest.mark.parametrize(("lang", "rule", "example"), cases("rules", "counter_examples"))
def test_it_gives_each_counter_example_its_level(lang, rule, example):
    assert assess(example["text"], lang).level == example["level"]


@pytest.mark.parametrize(("lang", "entry", "example"),
                         cases("exceptions", "examples") + cases("modifiers", "examples"))
def test_it_applies_each_exception_and_modifier(lang, entry, example):
    result = assess(example["text"], lang)
    assert result.level == example["level"]
    assert entry["id"] in [reason.modifier for reason in result.reasons]


@pytest.mark.parametrize("lang", languages())
def test_it_gives_every_rule_examples(lang):
    data = raw(lang)
    assert all(rule["examples"] for rule in data["rules"])
    assert all(entry["examples"] for entry in data["exceptions"] + data["modifiers"])
    ids = [entry["id"] for entry in data["rules"] + data["exceptions"] + data["modifiers"]]
    assert len(ids) == len(set(ids))
