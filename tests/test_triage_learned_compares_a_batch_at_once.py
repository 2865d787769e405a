"""A batch's similarities to the examples, worked out in one product, read as each message's own."""

import numpy

from interlude.triage import embedding
from tests.triage_learned_support import deaf_model

TEXTS = ["can we move thursday to friday", "I took all my pills an hour ago",
         "gracias por la sesión de hoy"]


def test_it_gives_each_message_its_own_similarities():
    model = deaf_model()
    rows = embedding.embed(TEXTS)
    for row, compared in zip(rows, model.compared(rows), strict=True):
        alone = model.embedded @ numpy.asarray(row, dtype=numpy.float32)
        assert numpy.allclose(compared.similarity, alone, atol=1e-5)


def test_it_judges_a_compared_message_as_it_judges_it_alone():
    model = deaf_model()
    rows = embedding.embed(TEXTS)
    for text, row, compared in zip(TEXTS, rows, model.compared(rows), strict=True):
        alone = model.judge(text, "en", embedded=row)
        batched = model.judge(text, "en", embedded=compared)
        assert batched.level == alone.level
        assert abs(batched.urgent - alone.urgent) < 1e-5
