"""What the learned layer learned is kept in a cache file, so a process starting later (a
server worker, the dispatcher, a command) reads it back instead of training again; a changed
example makes a new file, and a spoiled file is trained again."""

import pytest

from interlude.triage import learned
from tests.triage_learned_support import ROUTINE, URGENT

EXAMPLES = ([learned.Example(text, "en", "urgent") for text in URGENT]
            + [learned.Example(text, "en", "routine") for text in ROUTINE]
            + [learned.Example("I feel low but I am safe", "en", "elevated")])
MESSAGES = ("the purple lantern again tonight", "see you Thursday", "feeling low today")


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """The shipped examples replaced by a few made-up ones, with a fresh cache folder."""
    monkeypatch.setenv("INTERLUDE_CACHE_DIR", str(tmp_path))
    examples = list(EXAMPLES)
    monkeypatch.setattr(learned, "read_examples", lambda: examples)
    learned._trained.cache_clear()
    yield examples
    learned._trained.cache_clear()


def fresh_process():
    learned._trained.cache_clear()
    return learned._trained()


def chances(model):
    return [(found.urgent, found.elevated) for found in map(model.judge, MESSAGES, ["en"] * 3)]


def refuse_to_train(*args, **kwargs):
    raise AssertionError("trained again instead of reading the cache")


def test_it_reads_what_it_learned_from_the_cache_in_a_later_process(shipped, tmp_path,
                                                                     monkeypatch):
    trained = fresh_process()
    assert len(list(tmp_path.glob("model-*.npz"))) == 1
    monkeypatch.setattr(learned, "train", refuse_to_train)
    restored = fresh_process()
    assert chances(restored) == chances(trained)
    assert restored.explain(restored.judge(MESSAGES[0], "en")) == trained.explain(
        trained.judge(MESSAGES[0], "en"))


def test_it_trains_again_when_an_example_changes(shipped, tmp_path):
    fresh_process()
    shipped.append(learned.Example("the lantern is lit", "en", "urgent"))
    fresh_process()
    assert len(list(tmp_path.glob("model-*.npz"))) == 2


def test_it_trains_again_when_the_cache_file_is_spoiled(shipped, tmp_path):
    expected = chances(fresh_process())
    (spoiled,) = tmp_path.glob("model-*.npz")
    spoiled.write_bytes(b"not a zip of arrays")
    assert chances(fresh_process()) == expected


def test_it_still_works_when_the_cache_cannot_be_written(shipped, tmp_path, monkeypatch):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv("INTERLUDE_CACHE_DIR", str(blocked))
    assert fresh_process().judge(MESSAGES[0], "en").level == "urgent"
