"""The features the learned layer reads: what a message says, robust to wording and typos.

Words are the engine's normalised words (lowercase, no accents, shorthand and common typos
expanded), so 'kms', 'Kill myself' and 'kil myslef' give the same words. On top of single
words and word pairs, every word also gives its character pieces of 3 to 5 letters within the
word ('<pill', 'ills>'), which carry stems across endings, typos and the two languages
('pastillas', 'pills'). Digits read as 0 so '20 pills' and '15 pills' look alike.
"""

import math
import re
from collections import Counter

from interlude.triage import normalize
from interlude.triage.rules import load

CHAR_SIZES = (3, 4, 5)
DIGITS_RE = re.compile(r"\d+")


def words_of(sentence):
    return [DIGITS_RE.sub("0", word) for word in sentence.words]


def sentence_features(words):
    """Counts of word, word-pair and character-piece features of one sentence's words."""
    found = ["w:" + word for word in words]
    found += ["b:" + left + "_" + right for left, right in zip(words, words[1:], strict=False)]
    for word in words:
        padded = f"<{word}>"
        for size in CHAR_SIZES:
            found += ["c:" + padded[start:start + size]
                      for start in range(len(padded) - size + 1)]
    return Counter(found)


def parse(text, lang):
    """The message's sentences (normalised with the lexicon of lang) and their feature counts."""
    sentences = normalize.sentences(text or "", load(lang))
    return sentences, [sentence_features(words_of(sentence)) for sentence in sentences]


def total(per_sentence):
    counts = Counter()
    for found in per_sentence:
        counts.update(found)
    return counts


class Vectoriser:
    """TF-IDF weights learned from the labeled examples; features seen only once are dropped.

    A feature seen in a single example cannot help with a new message and mostly adds noise,
    so the vocabulary keeps those seen in at least min_count examples.
    """

    def __init__(self, counts_per_example, min_count=2):
        document_frequency = Counter()
        for counts in counts_per_example:
            document_frequency.update(counts.keys())
        size = len(counts_per_example)
        kept = sorted(f for f, n in document_frequency.items() if n >= min_count)
        self.index = {feature: position for position, feature in enumerate(kept)}
        self.features = kept
        self.idf = [math.log((1 + size) / (1 + document_frequency[f])) + 1 for f in kept]

    @classmethod
    def restored(cls, features, idf):
        """A vectoriser with the vocabulary and weights of one saved earlier."""
        vectoriser = cls([])
        vectoriser.features = list(features)
        vectoriser.index = {feature: position for position, feature in enumerate(features)}
        vectoriser.idf = [float(weight) for weight in idf]
        return vectoriser

    def __len__(self):
        return len(self.features)

    def vector(self, counts):
        """Sparse unit vector as {position: weight}: sublinear term frequency times idf."""
        index, idf, weights = self.index, self.idf, {}
        for feature, count in counts.items():
            position = index.get(feature)
            if position is not None:
                weights[position] = idf[position] * (1 + math.log(count) if count > 1 else 1)
        norm = math.sqrt(sum(value * value for value in weights.values())) or 1.0
        return {position: value / norm for position, value in weights.items()}
