"""The labeled examples' embeddings are kept in a cache file, so a process starting later does
not embed them again; a changed example makes a new file, and a spoiled file is rebuilt."""

import numpy
import pytest

from interlude.triage import embedding

TEXTS = ["I finished the worksheet.", "Terminé la hoja de registro."]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERLUDE_CACHE_DIR", str(tmp_path))
    return tmp_path


def refuse_to_embed(texts):
    raise AssertionError("embedded again instead of reading the cache")


def test_it_reads_the_examples_embeddings_from_the_cache_the_second_time(cache, monkeypatch):
    first = embedding.embed_examples(TEXTS)
    assert len(list(cache.glob("examples-*.npy"))) == 1
    monkeypatch.setattr(embedding, "embed", refuse_to_embed)
    assert numpy.array_equal(embedding.embed_examples(TEXTS), first)


def test_it_makes_a_new_file_when_an_example_changes(cache):
    embedding.embed_examples(TEXTS)
    embedding.embed_examples([*TEXTS, "See you on Tuesday."])
    assert len(list(cache.glob("examples-*.npy"))) == 2


def test_it_rebuilds_a_spoiled_cache_file(cache):
    expected = embedding.embed_examples(TEXTS)
    (spoiled,) = cache.glob("examples-*.npy")
    spoiled.write_bytes(b"not an array")
    assert numpy.array_equal(embedding.embed_examples(TEXTS), expected)


def test_it_still_embeds_when_the_cache_cannot_be_written(tmp_path, monkeypatch):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv("INTERLUDE_CACHE_DIR", str(blocked))
    assert embedding.embed_examples(TEXTS).shape == (2, 512)
