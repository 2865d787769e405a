"""A regression guard on the labeled development set, when it is present.

The engine was tuned on this set, so passing here does NOT show that it meets the guideline's
targets; only a labeled set it was never tuned on can show that.
"""

from pathlib import Path

import pytest

from interlude.triage import cli

DEV = Path(__file__).parent / "data" / "triage" / "dev.jsonl"


@pytest.mark.skipif(not DEV.exists(), reason="no labeled development set")
def test_it_keeps_the_targets_on_the_set_it_was_tuned_on():
    matrix = cli.confusion(cli.read_labeled(DEV))
    recall = cli.scores(matrix)["urgent"][0]
    routine = sum(matrix["routine"].values())
    assert recall >= 0.98
    assert matrix["routine"]["urgent"] / routine <= 0.03
