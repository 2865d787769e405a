"""The learned layer: how close a message is to the labeled examples a clinician can read.

It learns from data/examples.jsonl (text, level, language and why, one message a line) at
first use, in one to two seconds, and keeps the result in memory; the same examples always give
the same model (fixed seed), so nothing generated is shipped. Two logistic regressions over
the TF-IDF features of features.py give the chance that a message is urgent and that it is at
least elevated; the nearest labeled examples (cosine similarity on the same vectors, through
an inverted index) are the reason a clinician reads: "close to: '...' (urgent)".

The rules stay the floor: engine.assess lets this layer raise a level, never lower one.
"""

import json
import math
import random
import threading
from dataclasses import dataclass, field
from functools import cache
from operator import mul
from pathlib import Path
from typing import NamedTuple

from interlude.triage.features import Vectoriser, parse, total

EXAMPLES = Path(__file__).parent / "data" / "examples.jsonl"
SEED = 1729
EPOCHS = 8
STEP = 0.5  # first learning rate of the stochastic gradient descent
L2 = 1e-4  # weight decay: few examples, many features, so keep weights small
SETTLED = 0.01  # a gradient this small (an example already learned) is not worth an update
# Chosen by 5-fold cross-validation over the examples (interlude triage --cross-validate),
# under the rule that false urgents page a clinician at night: routine messages marked urgent
# out of fold stay under 3%. A chance of urgent alone is not enough to raise a message to
# urgent; the layer must also have evidence (see Model.evidence): the message is at least as
# close to labeled urgent examples as to any other (MARGIN), the nearest examples vote urgent
# (VOTE of VOTERS, weighted by similarity), it has enough words to judge (MIN_WORDS), and its
# words and word pairs, not only character pieces, lean towards urgent.
URGENT_THRESHOLD = 0.6
ELEVATED_THRESHOLD = 0.6
MARGIN = 0.05
VOTERS = 3
VOTE = 0.3
MIN_WORDS = 5
WORD_PREFIXES = ("w:", "b:")
NEIGHBOURS = 3
EXCERPT = 80  # characters of an example shown in a reason
COMMON = 0.05  # features in more than this share of examples are skipped for neighbours,
COMMON_FLOOR = 20  # unless in this many examples or fewer (a small set keeps them all)


LEVEL_NAMES = ("routine", "elevated", "urgent")


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

    def score(self, vector):
        weights = self.weights
        return sum(weights[position] * value for position, value in vector.items()) + self.bias

    def chance(self, vector):
        return sigmoid(self.score(vector))


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
    class_weights = [balance(targets) for targets in targets_per_model]
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


class Neighbours:
    """Inverted indexes from feature to (example, weight), one per level, for cosine similarity.

    Pieces found in many examples ('the', '<i>') say little about closeness and make long
    lists to walk, so they are left out; the ranking barely moves and stays fast.
    """

    def __init__(self, vectors, levels, size):
        limit = max(COMMON * len(vectors), COMMON_FLOOR)
        postings = {level: [[] for _ in range(size)] for level in set(levels)}
        frequency = [0] * size
        for example, (vector, level) in enumerate(zip(vectors, levels, strict=True)):
            for position, value in vector.items():
                postings[level][position].append((example, value))
                frequency[position] += 1
        self.postings = {level: [found if frequency[position] <= limit else ()
                                 for position, found in enumerate(lists)]
                         for level, lists in postings.items()}

    def nearest(self, vector, level, count):
        """(example number, similarity) of the count examples at level closest to vector."""
        postings = self.postings.get(level)
        if postings is None:
            return []  # no example labeled at that level
        scores = {}
        get = scores.get
        for position, value in vector.items():
            for example, weight in postings[position]:
                scores[example] = get(example, 0.0) + value * weight
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:count]


def original(text, sentence):
    return text[sentence.spans[0][0]:sentence.spans[-1][1]]


def shorten(text, limit=EXCERPT):
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


class Model:
    """The learned layer, trained from labeled examples."""

    def __init__(self, examples, seed=SEED):
        self.examples = list(examples)
        parsed = [parse(example.text, example.lang) for example in self.examples]
        counts = [total(per_sentence) for _, per_sentence in parsed]
        self.vectoriser = Vectoriser(counts)
        vectors = [self.vectoriser.vector(found) for found in counts]
        self.urgent, self.elevated = train(
            vectors, [[example.level == "urgent" for example in self.examples],
                      [example.level != "routine" for example in self.examples]],
            len(self.vectoriser), seed)
        self.neighbours = Neighbours(vectors, [example.level for example in self.examples],
                                     len(self.vectoriser))
        self.excerpts = {}

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

    def chances(self, text, lang):
        """The message's vector, sentences and features, and its chances of each level."""
        sentences, per_sentence = parse(text, lang)
        vector = self.vectoriser.vector(total(per_sentence))
        return (vector, sentences, per_sentence, self.urgent.chance(vector),
                self.elevated.chance(vector))

    def judge(self, text, lang, urgent_threshold=URGENT_THRESHOLD,
              elevated_threshold=ELEVATED_THRESHOLD):
        """The learned level of one message and its chances of each level."""
        vector, sentences, per_sentence, urgent, elevated = self.chances(text, lang)
        if urgent >= urgent_threshold and self.evidence(vector, sentences):
            level = "urgent"
        else:
            level = "elevated" if elevated >= elevated_threshold else "routine"
        return Judgement(level, urgent, elevated, text, sentences, per_sentence, vector)

    def evidence(self, vector, sentences):
        """True when more than the chance of urgent speaks for urgent.

        A short or plain message ('Hello there') has few features, so each weighs a lot in
        its unit vector and stray character pieces can tip the chance over the threshold.
        Urgent needs enough words, words (not only pieces of words) leaning that way, and
        labeled urgent examples near: the nearest at most MARGIN further than the nearest
        example of another level, and most of the similarity of the VOTERS nearest.
        """
        if sum(len(sentence.words) for sentence in sentences) < MIN_WORDS:
            return False
        if self.word_score(vector) < 0:
            return False
        near = sorted(((similarity, level) for level in LEVEL_NAMES
                       for _, similarity in self.neighbours.nearest(vector, level, VOTERS)),
                      reverse=True)
        closest = dict.fromkeys(LEVEL_NAMES, 0.0)
        for similarity, level in near:
            closest[level] = max(closest[level], similarity)
        others = max(closest["routine"], closest["elevated"])
        if closest["urgent"] < others - MARGIN:
            return False
        voters = near[:VOTERS]
        weight = sum(similarity for similarity, _ in voters)
        urgent = sum(similarity for similarity, level in voters if level == "urgent")
        return weight > 0 and urgent >= VOTE * weight

    def word_score(self, vector):
        """What the message's words and word pairs add to the score of urgent."""
        weights, features = self.urgent.weights, self.vectoriser.features
        return sum(weights[position] * value for position, value in vector.items()
                   if features[position].startswith(WORD_PREFIXES))

    def sentence(self, judgement):
        """The client's sentence that weighed most towards the judged level, as written."""
        return self.weightiest(judgement.text, judgement.sentences, judgement.per_sentence,
                               self.model_for(judgement.level), judgement.vector)

    def nearest(self, judgement, count=NEIGHBOURS):
        """(example, excerpt, similarity) of the closest examples labeled at the judged level."""
        near = self.neighbours.nearest(judgement.vector, judgement.level, count)
        return [(self.examples[number], self.excerpt(number), similarity)
                for number, similarity in near]

    def explain(self, judgement):
        """The reason's words: "close to: '...' (urgent); '...' (urgent)"."""
        quoted = "; ".join(f"'{excerpt}' ({example.level})"
                           for example, excerpt, _ in self.nearest(judgement))
        return f"close to: {quoted}" if quoted else "close to no labeled example"


_training = threading.Lock()


@cache
def _trained():
    return Model(read_examples())


def model():
    """The model trained on the shipped examples, once per process (threads wait for it)."""
    with _training:
        return _trained()


def warm():
    """Train the learned layer now (once; later calls return at once), so that a server pays
    the cost at start-up rather than on a client's first message."""
    model()
