"""Load the lexicon and rule files in data/ (one JSON file per language).

Each file holds, for one language: stopwords (for language detection), shorthand and typo
spellings, named terms, the risk rules with their examples, the figure-of-speech exceptions
and the modifiers (negation, past, resolved, reopened, open-ended, fiction, other people),
and the everyday words: risk words ordinary life uses (a chef's knife), which the learned layer
reads in context before they make a message urgent.
A pattern may name a term in braces ("{drug}") so that a list used by several rules, such as
the medicines a client may overdose on, is written and extended in one place.
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from interlude.triage.screen import screened

DATA = Path(__file__).parent / "data"
TERM = re.compile(r"\{([a-z_]+)\}")  # letters only, so quantifiers like {0,2} are left alone
WORDS = "words"
MODIFIER_KINDS = ("negation", "past", "resolved", "reopen", "open_ended", "fiction",
                  "other_person")


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    level: str
    regex: re.Pattern
    context_sensitive: bool = False
    # An attempt told with a recent time ("anoche", "an hour ago") stays urgent when the client
    # adds that they are better now ("ya estoy mejor"); a guess at one's own state is not safety.
    stays_current: bool = False


@dataclass(frozen=True)
class Cue:
    id: str
    kind: str
    regex: re.Pattern
    scope: str = "clause"


@dataclass(frozen=True)
class Lexicon:
    language: str
    stopwords: frozenset
    marks: str
    shorthand: dict
    fuzzy_terms: tuple
    clause_words: frozenset
    negation_breakers: frozenset
    conditional_words: frozenset
    vocabulary: frozenset
    rules: tuple
    exceptions: tuple
    cues: dict
    everyday: frozenset = frozenset()


def strip_accents(pattern):
    """Patterns are written with accents for readers; messages are matched without."""
    pattern = unicodedata.normalize("NFKD", pattern)
    return "".join(char for char in pattern if not unicodedata.combining(char))


def compile_patterns(patterns):
    """One regex for a list of patterns, matched on whole words. A pattern may mark the words it
    speaks for with a group named "words" (see spoken_for); each gets its own group name, as one
    regex cannot hold a name twice."""
    patterns = [strip_accents(pattern).replace(f"(?P<{WORDS}>", f"(?P<{WORDS}{index}>")
                for index, pattern in enumerate(patterns)]
    regex = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b")
    return screened(regex, patterns)


def spoken_for(hit):
    """The span of the words a match speaks for: the group named "words" when the pattern has
    one, so that an exception can read context before the risk words ("a flashback ... hiding
    in the closet") without excusing that context too (the flashback stays elevated)."""
    for name in hit.re.groupindex:
        if name.startswith(WORDS) and hit.group(name) is not None:
            return hit.span(name)
    return hit.span()


def with_terms(patterns, terms):
    """The patterns with each named term ("{drug}") replaced by its alternatives."""
    def term(found):
        name = found.group(1)
        if name not in terms:
            raise ValueError(f"pattern names an unknown term {{{name}}}")
        return f"(?:{terms[name]})"

    return [TERM.sub(term, pattern) for pattern in patterns]


def written_out(data):
    """The data file with the named terms in every pattern written out."""
    terms = data.get("terms", {})
    return {**data, **{section: [{**entry, "patterns": with_terms(entry["patterns"], terms)}
                                 for entry in data[section]]
                       for section in ("rules", "exceptions", "modifiers")}}


def languages():
    """The languages that have a data file, e.g. ['en', 'es']."""
    return sorted(path.stem for path in DATA.glob("*.json"))


def raw(language):
    """The data file as written, for tests and for clinicians' tooling."""
    return json.loads((DATA / f"{language}.json").read_text(encoding="utf-8"))


def _vocabulary(data):
    text = " ".join(" ".join(entry["patterns"])
                    for entry in data["rules"] + data["exceptions"] + data["modifiers"])
    return frozenset(re.findall(r"[a-z]+", text))


@cache
def load(language):
    """The compiled lexicon for one language."""
    data = written_out(raw(language))
    rules = tuple(Rule(entry["id"], entry["category"], entry["level"],
                       compile_patterns(entry["patterns"]),
                       entry.get("context_sensitive", False), entry.get("stays_current", False))
                  for entry in data["rules"])
    exceptions = tuple(Cue(entry["id"], "exception", compile_patterns(entry["patterns"]))
                       for entry in data["exceptions"])
    cues = {kind: [] for kind in MODIFIER_KINDS}
    for entry in data["modifiers"]:
        cues[entry["kind"]].append(Cue(entry["id"], entry["kind"],
                                       compile_patterns(entry["patterns"]),
                                       entry.get("scope", "clause")))
    return Lexicon(language, frozenset(data["stopwords"]), data.get("marks", ""), data["shorthand"],
                   tuple(data["fuzzy_terms"]), frozenset(data["clause_words"]),
                   frozenset(data["clause_words"]) | frozenset(data["negation_breakers"]),
                   frozenset(data["conditional_words"]),
                   _vocabulary(data), rules, exceptions,
                   {kind: tuple(found) for kind, found in cues.items()},
                   frozenset(strip_accents(word).lower()
                             for word in data.get("everyday_words", {}).get("words", ())))
