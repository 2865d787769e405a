"""Turn a message into sentences and clauses of normalised words, keeping original spans.

Matching runs on lowercase, accent-free, apostrophe-free words with shorthand and common
typos expanded; every normalised word remembers the characters of the original message it
came from, so a reason can quote the client's own words.
"""

import re
import unicodedata
from dataclasses import dataclass, field

# Laughing emoji are words here: "I could strangle her 😂" is a joke the way "lol" is, and each
# lexicon's shorthand spells them as its own laugh ("lol", "jaja").
LAUGHS = "\U0001F602\U0001F923\U0001F606\U0001F639"
TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[.!?;:,\n]|[" + LAUGHS + "]")
SENTENCE_BREAKS = {".", "!", "?", ";", "\n"}
CLAUSE_BREAKS = {",", ":"}
REPEAT_RE = re.compile(r"(\w)\1{2,}")


@dataclass
class Sentence:
    """Normalised words of one sentence, each with the span it came from in the original."""

    words: list = field(default_factory=list)
    spans: list = field(default_factory=list)
    clause_of: list = field(default_factory=list)
    text: str = ""
    starts: list = field(default_factory=list)

    def finish(self):
        """Join the words and remember where each starts, for mapping regex matches back."""
        position = 0
        for word in self.words:
            self.starts.append(position)
            position += len(word) + 1
        self.text = " ".join(self.words)
        return self

    def word_range(self, start, end):
        """The first and last word index covered by characters start..end of self.text."""
        first = last = None
        for index, word_start in enumerate(self.starts):
            word_end = word_start + len(self.words[index])
            if word_end > start and word_start < end:
                first = index if first is None else first
                last = index
        return first, last


def fold(text):
    """Lowercase without accents or apostrophes: 'Don't', 'dont' and 'DÓNT' all read 'dont'."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return text.replace("'", "").replace("’", "")


def collapse_repeats(word, vocabulary):
    """'sooo' -> 'soo', but 'diiie' -> 'die' when the single letter makes a known word."""
    if not REPEAT_RE.search(word):
        return word
    single = REPEAT_RE.sub(r"\1", word)
    if single in vocabulary:
        return single
    return REPEAT_RE.sub(r"\1\1", word)


def edit_distance_one(word, term):
    """True when word is one insertion, deletion, substitution or swap away from term."""
    if abs(len(word) - len(term)) > 1 or word == term:
        return False
    for index, (left, right) in enumerate(zip(word, term, strict=False)):
        if left != right:
            return (word[index + 1:] == term[index + 1:]
                    or word[index:] == term[index + 1:]
                    or word[index + 1:] == term[index:]
                    or word[index + 1:index + 2] + word[index:index + 1] + word[index + 2:]
                    == term[index:])
    return True


def expand(word, lexicon):
    """The normalised words for one folded token (shorthand may give several)."""
    word = collapse_repeats(word, lexicon.vocabulary)
    if word in lexicon.shorthand:
        return lexicon.shorthand[word].split()
    if len(word) >= 6 and word not in lexicon.vocabulary:
        for term in lexicon.fuzzy_terms:
            if edit_distance_one(word, term):
                return [term]
    return [word]


# Titles and street names written with a point: "Mrs. Ortiz", "St. Anne's", "Dr. Ruiz".
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "sr", "sra", "srta", "dra", "jr",
                           "prof", "lic", "ing", "mt", "ave", "vs"})


def decimal_point(text, match):
    """A point right before a digit (".30-06", "2.5 mg") joins a number; it ends no sentence."""
    return match.group() == "." and text[match.end():match.end() + 1].isdigit()


def abbreviation_point(match, previous):
    """The point right after "Mrs" or "St" belongs to that word; it ends no sentence."""
    return (match.group() == "." and previous is not None and previous.end() == match.start()
            and previous.group().lower() in ABBREVIATIONS)


def sentences(text, lexicon):
    """Split text into Sentence objects; clauses break on commas and on joining words."""
    result, current, clause, previous = [], Sentence(), 0, None
    for match in TOKEN_RE.finditer(text):
        token, before, previous = match.group(), previous, match
        if decimal_point(text, match):
            continue
        if abbreviation_point(match, before):
            clause += 1  # "Main St. Now..." may still be two sentences: keep their cues apart
            continue
        if token in SENTENCE_BREAKS:
            if current.words:
                result.append(current.finish())
            current, clause = Sentence(), 0
            continue
        if token in CLAUSE_BREAKS:
            clause += 1
            continue
        for word in expand(fold(token), lexicon):
            if word in lexicon.clause_words and current.words:
                clause += 1
            current.words.append(word)
            current.spans.append(match.span())
            current.clause_of.append(clause)
    if current.words:
        result.append(current.finish())
    return result
