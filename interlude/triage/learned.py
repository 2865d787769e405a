"""The learned layer: how close a message is to the labeled examples a clinician can read.

It learns from data/examples.jsonl (text, level, language and why, one message a line) at
first use, in several seconds, and keeps the result in memory and in a cache file (see
_trained); the same examples always give the same model (fixed seed), so nothing generated is
shipped. Views of a message are averaged, because they fail on different messages:

- its words (half): two logistic regressions over the TF-IDF features of features.py give
  the chance that a message is urgent and that it is at least elevated;
- its meaning (half), twice: the labeled examples nearest to it by sentence embedding
  (embedding.py) vote, each by its similarity; and a regression over the embedding itself
  reads the directions in which each level lies. Meaning hears risk worded unlike any example
  ("hoy fue el último día, gracias por todo") and tells "I'm going to die when you hear this"
  from a goodbye better than shared words can. A long message is read by meaning sentence by
  sentence, and each sentence is also compared with the sentences of routine examples, since
  every part of a routine message is routine ("nos vemos" closing an update is not a goodbye).

The nearest examples at the level decided are the reason a clinician reads:
"close to: '...' (urgent)". The rules stay the floor: engine.assess lets this layer raise a
level, never lower one.
"""

import hashlib
import json
import math
import random
import threading
from dataclasses import dataclass, field
from functools import cache
from operator import mul
from pathlib import Path
from typing import NamedTuple

import numpy

from interlude.triage import embedding
from interlude.triage.features import Vectoriser, parse, total

EXAMPLES = Path(__file__).parent / "data" / "examples.jsonl"
SEED = 1729
EPOCHS = 8
STEP = 0.5  # first learning rate of the stochastic gradient descent
L2 = 1e-4  # weight decay: few examples, many features, so keep weights small
SETTLED = 0.01  # a gradient this small (an example already learned) is not worth an update
# Chosen by 5-fold cross-validation over the examples (interlude triage --cross-validate),
# recall first, as the guideline asks: out of fold 0.5 finds 94% of urgent messages and marks
# 7% of routine ones urgent; 0.55 would find about two points fewer and mark one and a half
# fewer. Every false urgent pages someone, so the README reports both.
URGENT_THRESHOLD = 0.5
ELEVATED_THRESHOLD = 0.5
VOTERS = 10  # nearest examples by meaning that vote on a message's level
# The regressions over embeddings: full-batch gradient descent, a fixed number of rounds (so the
# same examples give the same weights), on embeddings scaled up so the unit vectors' small
# components can move the score.
DENSE_ROUNDS = 600
DENSE_STEP = 0.5
DENSE_L2 = 1e-3
DENSE_SCALE = 10.0
# Under this many words closeness means less ("And one more thing." sits near short goodbyes),
# so a short message needs a higher chance to be raised to urgent: "cant do this anymore"
# and "no aguanto más" still are, "Good morning" is not.
SHORT = 5
SHORT_URGENT_THRESHOLD = 0.7
# A long message means mostly its mundane parts, so it lands near the long examples whatever
# it says; from this many words on, each sentence is compared on its own and the one that
# sounds most at risk speaks for the message (risk is often one clause in a long update).
LONG = 40
NEIGHBOURS = 3  # of them, quoted in a reason
EXCERPT = 80  # characters of an example shown in a reason
SAVED_MODELS = ("urgent", "elevated", "meant")
LEVEL_ORDER = ("routine", "elevated", "urgent")


class Example(NamedTuple):
    text: str
    lang: str
    level: str
    id: str = ""
    why: str = ""


@dataclass(frozen=True)
class Judgement:
    level: str
    urgent: float  # chance the message is urgent
    elevated: float  # chance it is elevated or urgent
    text: str = field(default="", repr=False)
    sentences: list = field(default_factory=list, repr=False, compare=False)
    per_sentence: list = field(default_factory=list, repr=False, compare=False)
    vector: dict = field(default_factory=dict, repr=False, compare=False)
    # cosine similarity by meaning to every example, in the order of Model.examples
    similarity: object = field(default=None, repr=False, compare=False)


def read_examples(path=EXAMPLES):
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                data = json.loads(line)
                rows.append(Example(data["text"], data["lang"], data["level"],
                                    data.get("id", ""), data.get("why", "")))
    return rows


def sigmoid(value):
    if value >= 0:
        return 1 / (1 + math.exp(-value))
    exponent = math.exp(value)
    return exponent / (1 + exponent)


class Logistic:
    """Weights and bias of one logistic regression over the sparse vectors."""

    def __init__(self, size):
        self.weights = [0.0] * size
        self.bias = 0.0

    @classmethod
    def restored(cls, weights, bias):
        model = cls(0)
        model.weights, model.bias = [float(weight) for weight in weights], float(bias)
        return model

    def score(self, vector):
        weights = self.weights
        return sum(weights[position] * value for position, value in vector.items()) + self.bias

    def chance(self, vector):
        return sigmoid(self.score(vector))


class DenseSoftmax:
    """One regression over sentence embeddings that tells the three levels apart (numpy).

    One model of three levels rather than two of "urgent or not" and "elevated or not": an
    elevated message then counts against urgent and against routine at once, which, leaving
    each labeled set out in turn, marks fewer routine and fewer elevated messages urgent at
    the same recall than the two separate regressions did.
    """

    def __init__(self, embedded, levels):
        classes = len(LEVEL_ORDER)
        labels = numpy.array([LEVEL_ORDER.index(level) for level in levels], dtype=int)
        features = numpy.asarray(embedded * DENSE_SCALE, dtype=numpy.float32)
        weights = numpy.zeros((features.shape[1], classes), dtype=numpy.float32)
        bias = numpy.zeros(classes, dtype=numpy.float32)
        targets = numpy.eye(classes, dtype=numpy.float32)[labels]
        # each level counts alike, whatever its number of examples
        counts = numpy.maximum(numpy.bincount(labels, minlength=classes), 1)
        class_weight = (1 / (classes * counts[labels])).astype(numpy.float32)[:, None]
        for _round in range(DENSE_ROUNDS if len(labels) else 0):
            gradient = (softmax(features @ weights + bias) - targets) * class_weight
            weights -= numpy.float32(DENSE_STEP) * (features.T @ gradient
                                                    + numpy.float32(DENSE_L2) * weights)
            bias -= numpy.float32(DENSE_STEP) * gradient.sum(axis=0)
        self.weights, self.bias = weights, bias

    @classmethod
    def restored(cls, weights, bias):
        model = cls.__new__(cls)
        model.weights = numpy.asarray(weights, dtype=numpy.float32)
        model.bias = numpy.asarray(bias, dtype=numpy.float32)
        return model

    def chances(self, embedded):
        """(chance urgent, chance elevated or urgent) of one embedding."""
        routine, _elevated, urgent = softmax(embedded @ self.weights * DENSE_SCALE + self.bias)
        return float(urgent), float(1 - routine)


def softmax(scores):
    scores = scores - scores.max(axis=-1, keepdims=True)
    exponents = numpy.exp(scores)
    return exponents / exponents.sum(axis=-1, keepdims=True)


def share(similarity, chosen, voters=VOTERS):
    """The share of the voters nearest in similarity that are chosen, each counted by its
    similarity: one close example outweighs a loose one."""
    count = min(voters, len(similarity))
    if count == 0:
        return 0.0
    nearest = numpy.argpartition(-similarity, count - 1)[:count]
    weights = numpy.maximum(similarity[nearest], 0.0) + 1e-9
    return float(weights[chosen[nearest]].sum()) / float(weights.sum())


def balance(targets):
    """Weights per class so that both classes count alike, whatever their sizes."""
    positives = sum(targets) or 1
    negatives = (len(targets) - sum(targets)) or 1
    return {True: len(targets) / (2 * positives), False: len(targets) / (2 * negatives)}


def train(vectors, targets_per_model, size, seed=SEED):
    """One logistic regression per list of targets, trained side by side by SGD.

    L2 decay is applied lazily through a shared scale, so each step touches only the
    features of one example; an example the model already gets right (almost no gradient)
    costs no update. The order of examples comes from a seeded generator.
    """
    models = [Logistic(size) for _ in targets_per_model]
    class_weights = [balance([target for target in targets if target is not None])
                     for targets in targets_per_model]
    items = [(list(vector), list(vector.values())) for vector in vectors]
    order = list(range(len(vectors)))
    shuffle = random.Random(seed).shuffle
    scales = [1.0] * len(models)
    step_count = 0
    for _epoch in range(EPOCHS):
        shuffle(order)
        for index in order:
            positions, values = items[index]
            rate = STEP / (1 + STEP * L2 * step_count)
            step_count += 1
            for number, model in enumerate(models):
                weights, scale = model.weights, scales[number] * (1 - rate * L2)
                scales[number] = scale
                target = targets_per_model[number][index]
                if target is None:
                    continue
                score = (scale * sum(map(mul, map(weights.__getitem__, positions), values))
                         + model.bias)
                gradient = (sigmoid(score) - target) * class_weights[number][target]
                if abs(gradient) < SETTLED:
                    continue
                change = rate * gradient / scale
                for position, value in zip(positions, values, strict=True):
                    weights[position] -= change * value
                model.bias -= rate * gradient
    for model, scale in zip(models, scales, strict=True):
        model.weights = [weight * scale for weight in model.weights]
    return models


def original(text, sentence):
    return text[sentence.spans[0][0]:sentence.spans[-1][1]]


def shorten(text, limit=EXCERPT):
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def routine_parts(examples):
    """(example number, sentence as written) of every routine example of several sentences.

    Every part of a routine message is routine, so its sentences are labeled examples too;
    they are compared only with the sentences of long messages (see Model.read)."""
    found = []
    for number, example in enumerate(examples):
        if example.level != "routine":
            continue
        sentences, _ = parse(example.text, example.lang)
        if len(sentences) >= 2:
            found += [(number, original(example.text, sentence)) for sentence in sentences]
    return found


class Compared(NamedTuple):
    """A message's sentence embedding with its similarity to every example, worked out for a
    batch of messages at once (one matrix product reads the examples once, not per message)."""

    vector: numpy.ndarray
    similarity: numpy.ndarray


class Model:
    """The learned layer, trained from labeled examples.

    embedded, when given, holds the examples' sentence embeddings in order, and parts_embedded
    those of routine_parts(examples) (cross-validation computes them once for all folds);
    otherwise they are computed here.
    """

    def __init__(self, examples, seed=SEED, embedded=None, saved=None, parts_embedded=None):
        self.examples = list(examples)
        if embedded is None:
            embedded = embedding.embed([example.text for example in self.examples])
        self.embedded = numpy.asarray(embedded, dtype=numpy.float32)
        if parts_embedded is None:
            parts_embedded = embedding.embed([part for _, part in routine_parts(self.examples)])
        self.parts_embedded = numpy.asarray(parts_embedded, dtype=numpy.float32).reshape(-1, 512)
        self.levels = numpy.array([example.level for example in self.examples], dtype=str)
        self.is_urgent = self.levels == "urgent"
        self.is_elevated = self.levels != "routine"
        self.excerpts = {}
        if saved is not None:
            self.restore(saved)
            return
        counts = [total(parse(example.text, example.lang)[1]) for example in self.examples]
        self.vectoriser = Vectoriser(counts)
        vectors = [self.vectoriser.vector(found) for found in counts]
        self.urgent, self.elevated = train(
            vectors, [[example.level == "urgent" for example in self.examples],
                      [example.level != "routine" for example in self.examples]],
            len(self.vectoriser), seed)
        self.meant = DenseSoftmax(self.embedded, self.levels)

    def saved(self):
        """What training learned, as plain arrays (numpy.savez writes them, no pickle)."""
        found = {"features": numpy.array(self.vectoriser.features, dtype=str),
                 "idf": numpy.array(self.vectoriser.idf, dtype=numpy.float64)}
        for name in SAVED_MODELS:
            model = getattr(self, name)
            found[f"{name}.weights"] = numpy.asarray(model.weights)
            found[f"{name}.bias"] = numpy.asarray(model.bias, dtype=numpy.float64)
        return found

    def restore(self, saved):
        self.vectoriser = Vectoriser.restored(saved["features"].tolist(), saved["idf"])
        for name in SAVED_MODELS:
            kind = DenseSoftmax if name == "meant" else Logistic
            setattr(self, name, kind.restored(saved[f"{name}.weights"], saved[f"{name}.bias"]))

    def model_for(self, level):
        return self.urgent if level == "urgent" else self.elevated

    def weightiest(self, text, sentences, per_sentence, model, vector=None):
        """The sentence whose features add most to the model's score (quoted as written)."""
        if not sentences:
            return text
        if len(sentences) == 1:
            return original(text, sentences[0])
        vector = vector or self.vectoriser.vector(total(per_sentence))
        weights = model.weights
        index = self.vectoriser.index

        def contribution(found):
            return sum(weights[index[f]] * vector[index[f]] for f in found if f in index)

        best = max(range(len(sentences)), key=lambda i: contribution(per_sentence[i]))
        return original(text, sentences[best])

    def excerpt(self, number):
        """What a reason quotes of example number: its weightiest sentence, shortened."""
        if number not in self.excerpts:
            example = self.examples[number]
            text = example.text
            if example.level != "routine":
                text = self.weightiest(text, *parse(text, example.lang),
                                       self.model_for(example.level))
            self.excerpts[number] = shorten(text)
        return self.excerpts[number]

    def meaning(self, text, sentences, embedded=None):
        """(similarity to every example, chance urgent, chance elevated) by meaning, of the
        message, or of its sentence that sounds most at risk when the message is long."""
        if len(sentences) >= 2 and len(text.split()) >= LONG:
            parts = embedding.embed([original(text, sentence) for sentence in sentences])
            return max((self.read(row, part=True) for row in parts),
                       key=lambda found: found[1:])
        if isinstance(embedded, Compared):
            return self.read(embedded.vector, similarity=embedded.similarity)
        if embedded is None:
            embedded = embedding.embed([text])[0]
        return self.read(numpy.asarray(embedded, dtype=numpy.float32))

    def compared(self, rows):
        """The sentence embeddings of a batch of messages, each with its similarities."""
        rows = numpy.asarray(rows, dtype=numpy.float32).reshape(-1, self.embedded.shape[1])
        similarities = rows @ self.embedded.T
        return [Compared(*pair) for pair in zip(rows, similarities, strict=True)]

    def compared_texts(self, texts):
        """compared() of a batch of messages, None for each of LONG words or more: meaning()
        reads those sentence by sentence, so embedding them whole as well would be wasted,
        and they are the slowest to embed."""
        whole = [index for index, text in enumerate(texts) if len(text.split()) < LONG]
        found = [None] * len(texts)
        rows = self.compared(embedding.embed([texts[index] for index in whole]))
        for index, row in zip(whole, rows, strict=True):
            found[index] = row
        return found

    def read(self, embedded, part=False, similarity=None):
        """What the nearest examples and the regressions over embeddings say, averaged.

        A part of a long message is also compared with the parts of routine examples: out of
        its message, "Thank you for everything you're doing with him" or "nos vemos" sits
        among goodbyes, and the routine updates such sentences come from say what they
        usually mean.
        """
        if similarity is None:
            similarity = self.embedded @ embedded
        parts_similarity = self.parts_embedded @ embedded if part else None
        urgent_share, elevated_share = self.vote(similarity, parts_similarity)
        urgent_meant, elevated_meant = self.meant.chances(embedded)
        urgent = (urgent_share + urgent_meant) / 2
        elevated = (elevated_share + elevated_meant) / 2
        return similarity, urgent, elevated

    def vote(self, similarity, parts_similarity=None):
        """(share urgent, share elevated or urgent) among the VOTERS examples nearest in
        meaning, each counted by its similarity: one close example outweighs a loose one.
        Parts of routine examples, when their similarity is given, vote routine beside them."""
        if parts_similarity is None or not len(parts_similarity):
            return share(similarity, self.is_urgent), share(similarity, self.is_elevated)
        similarity = numpy.concatenate([similarity, parts_similarity])
        routine = numpy.zeros(len(parts_similarity), dtype=bool)
        return (share(similarity, numpy.concatenate([self.is_urgent, routine])),
                share(similarity, numpy.concatenate([self.is_elevated, routine])))

    def chances(self, text, lang, embedded=None):
        """The message's vector, sentences and features, its similarity to every example, and
        its chances of each level: half from its words, half from its meaning (the nearest
        examples and the regression over embeddings). Leaving each labeled set out in turn,
        halves found more urgent messages and marked fewer routine ones urgent than a third
        and two thirds did."""
        sentences, per_sentence = parse(text, lang)
        vector = self.vectoriser.vector(total(per_sentence))
        similarity, urgent_meant, elevated_meant = self.meaning(text, sentences, embedded)
        urgent = (self.urgent.chance(vector) + urgent_meant) / 2
        elevated = (self.elevated.chance(vector) + elevated_meant) / 2
        return vector, sentences, per_sentence, similarity, urgent, elevated

    def judge(self, text, lang, urgent_threshold=URGENT_THRESHOLD,
              elevated_threshold=ELEVATED_THRESHOLD, embedded=None):
        """The learned level of one message and its chances of each level.

        embedded, when given, is the message's sentence embedding (computed in a batch)."""
        vector, sentences, per_sentence, similarity, urgent, elevated = self.chances(
            text, lang, embedded)
        short = len(text.split()) < SHORT
        if urgent >= (max(urgent_threshold, SHORT_URGENT_THRESHOLD) if short else urgent_threshold):
            level = "urgent"
        else:
            level = "elevated" if elevated >= elevated_threshold else "routine"
        return Judgement(level, urgent, elevated, text, sentences, per_sentence, vector,
                         similarity)

    def sentence(self, judgement):
        """The client's sentence that weighed most towards the judged level, as written."""
        return self.weightiest(judgement.text, judgement.sentences, judgement.per_sentence,
                               self.model_for(judgement.level), judgement.vector)

    def nearest(self, judgement, count=NEIGHBOURS):
        """(example, excerpt, similarity) of the examples labeled at the judged level that are
        closest in meaning, closest first (ties in the order of the examples)."""
        at_level = numpy.flatnonzero(self.levels == judgement.level)
        similarity = judgement.similarity[at_level]
        ranked = at_level[numpy.lexsort((at_level, -similarity))[:count]]
        return [(self.examples[number], self.excerpt(number),
                 float(judgement.similarity[number])) for number in ranked.tolist()]

    def explain(self, judgement):
        """The reason's words: "close to: '...' (urgent); '...' (urgent)"."""
        quoted = "; ".join(f"'{excerpt}' ({example.level})"
                           for example, excerpt, _ in self.nearest(judgement))
        return f"close to: {quoted}" if quoted else "close to no labeled example"


_training = threading.Lock()


def trained_key(examples):
    """A hash of everything training depends on: the examples, the code and data that read
    them (features, normalisation, lexicons) and the encoder; any change gives a new key."""
    digest = hashlib.sha256(embedding.encoder_version().encode())
    here = Path(__file__).parent
    for path in [*sorted(here.glob("*.py")), *sorted((here / "data").glob("*.json"))]:
        digest.update(path.read_bytes())
    for example in examples:
        digest.update("\0".join(example[:3]).encode("utf-8") + b"\1")
    return digest.hexdigest()[:32]


@cache
def _trained():
    """The model of the shipped examples: trained once, then read back from the cache.

    Training takes ten to twenty seconds; each new process (a server worker, the dispatcher,
    a command) would pay it again. So what it learned is kept beside the examples' embeddings
    (embedding.cache_dir), keyed by trained_key: weights learned from the shipped examples only.
    """
    examples = read_examples()
    embedded = embedding.embed_examples([e.text for e in examples])
    parts = embedding.embed_examples([part for _, part in routine_parts(examples)])
    path = embedding.cache_dir() / f"model-{trained_key(examples)}.npz"
    saved = embedding.read_cached(path)
    if saved is not None:
        return Model(examples, embedded=embedded, saved=saved, parts_embedded=parts)
    model = Model(examples, embedded=embedded, parts_embedded=parts)
    embedding.write_cached(path, model.saved())
    return model


def model():
    """The model trained on the shipped examples, once per process (threads wait for it)."""
    with _training:
        return _trained()


def warm():
    """Train the learned layer now (once; later calls return at once), so that a server pays
    the cost at start-up rather than on a client's first message."""
    model()
