"""The learned layer learns from examples shipped in the package, readable by a clinician:
the union of the labeled sets, one JSON line per message with its text, level and language."""

import json
from pathlib import Path

import pytest

from interlude.triage.engine import LEVELS
from interlude.triage.learned import EXAMPLES, read_examples
from interlude.triage.rules import languages

LABELED = Path(__file__).parent / "data" / "triage"
# The held-out sets from FIRST_HELD_OUT on are measured once and kept out of the examples, so
# the figures the README gives for them describe the model that ships; every numbered set
# before them has joined.
FIRST_HELD_OUT = 113
HELD_OUT = tuple(sorted(path.name for path in LABELED.glob("holdout*.jsonl")
                        if path.stem[len("holdout"):].isdigit()
                        and int(path.stem[len("holdout"):]) >= FIRST_HELD_OUT))
SETS = ("dev.jsonl", "holdout.jsonl", "holdout2.jsonl", "holdout3.jsonl", "holdout4.jsonl",
        "holdout5.jsonl", "train6_en.jsonl", "train6_es.jsonl", "train6_mixed.jsonl",
        "holdout6.jsonl", "train7_en.jsonl", "train7_es.jsonl", "holdout7.jsonl",
        "holdout8.jsonl", "train8_en.jsonl", "train8_es.jsonl", "train8_short.jsonl",
        "train8_long.jsonl", "train8_boundary.jsonl",
        *(f"holdout{number}.jsonl" for number in range(9, FIRST_HELD_OUT)))


def test_it_ships_every_example_with_text_level_and_language():
    examples = read_examples()
    assert len(examples) > 800
    assert all(example.text.strip() for example in examples)
    assert {example.level for example in examples} == set(LEVELS)
    assert {example.lang for example in examples} == set(languages())
    assert len({example.id for example in examples}) == len(examples)


def rows(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.skipif(not all((LABELED / name).exists() for name in SETS),
                    reason="the labeled sets are not present")
def test_it_ships_the_union_of_the_labeled_sets():
    def message(row):
        return row["text"], row["level"], row["lang"]

    shipped = {message(row): row["id"] for row in rows(EXAMPLES)}
    labeled = [row for name in SETS for row in rows(LABELED / name)]
    assert set(shipped) == {message(row) for row in labeled}
    # A set labeled without ids gets them when shipped; ids given in a set are kept. A message
    # two writers both wrote ("ok thanks") ships once, with the id of the first set that has it.
    first = {}
    for row in labeled:
        first.setdefault(message(row), row.get("id"))
    assert all(shipped[key] == given for key, given in first.items() if given)


@pytest.mark.skipif(not HELD_OUT, reason="no held-out set present")
@pytest.mark.parametrize("name", HELD_OUT)
def test_it_keeps_the_held_out_sets_out_of_the_examples(name):
    def texts(set_name):
        return {row["text"] for row in rows(LABELED / set_name)}

    held_out = texts(name)
    assert name not in SETS and len(held_out) >= 200
    # Two writers may hit on the same words ("ok thanks"); such a message is shipped only
    # because another set has it.
    training = set().union(*(texts(other) for other in SETS))
    shipped = {example.text for example in read_examples()}
    assert held_out & shipped <= training
