"""A quick screen before a rule's regular expression: most sentences hold none of a rule's words.

Python's regular expressions try every alternative of a pattern at every word of a sentence,
which with hundreds of patterns is most of the rules' time. For each pattern we work out,
from its parsed form, a few strings one of which every match must contain ("want", "wish",
"better off"); a rule whose sentence holds none of them cannot match, and its regex is not
run. The screen only ever skips work: where a pattern's strings cannot be worked out (a
character class, a repeat that may be empty), the rule is always run.
"""

import re

try:  # the parser is part of the standard library but private; without it nothing is skipped
    from re import _constants as constants
    from re import _parser as parser
except ImportError:  # pragma: no cover
    constants = parser = None


REPEATS = tuple(getattr(constants, name) for name in
                ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(constants, name))


def necessary_strings(pattern):
    """Strings one of which every match of pattern contains, or None when none can be named."""
    if parser is None:
        return None
    try:
        found = _sequence(parser.parse(pattern))
    except (re.error, TypeError, ValueError, OverflowError):
        return None
    # "want" is in every text that holds "i want": the shorter string alone says as much
    return found and frozenset(string for string in found
                               if not any(other != string and other in string for other in found))


EXACT_LIMIT = 4  # spellings of a run of words worked out in full before giving up on it


def _sequence(items):
    """A sequence matches only if each of its parts does: the most telling part's strings.
    Parts whose every spelling is known ("(want|wish) to die") are joined into one run."""
    candidates, run = [], {""}
    for op, value in items:
        spellings = _exact(op, value)
        if spellings is not None and len(run) * len(spellings) <= EXACT_LIMIT:
            run = {before + after for before in run for after in spellings}
            continue
        candidates.append(run)
        run = {""}
        if spellings is not None:
            run = spellings
        else:
            candidates.append(_node(op, value))
    candidates.append(run)
    usable = [frozenset(found) for found in candidates
              if found and all(string.strip() for string in found)]
    return max(usable, key=_telling, default=None)


def _telling(strings):
    """Longer strings are rarer in a sentence; fewer of them are checked faster."""
    return (min(len(string.strip()) for string in strings), -len(strings))


def _exact(op, value):
    """Every string a part can match, when they are few; None otherwise."""
    if op is constants.LITERAL:
        return {chr(value)}
    if op is constants.SUBPATTERN:
        return _exact_sequence(value[-1])
    if op is constants.BRANCH:
        if len(value[1]) > EXACT_LIMIT:
            return None  # too many spellings to join (a list of medicines): read it as a part
        found = [_exact_sequence(branch) for branch in value[1]]
        return None if any(spellings is None for spellings in found) else set().union(*found)
    if op in REPEATS and value[1] == 1:
        spellings = _exact_sequence(value[2])
        return None if spellings is None else spellings | ({""} if value[0] == 0 else set())
    return None


def _exact_sequence(items):
    spellings = {""}
    for op, value in items:
        part = _exact(op, value)
        if part is None or len(spellings) * len(part) > EXACT_LIMIT:
            return None
        spellings = {before + after for before in spellings for after in part}
    return spellings


def _node(op, value):
    if op is constants.SUBPATTERN:
        return _sequence(value[-1])
    if op is constants.BRANCH:
        return _either(value[1])
    if op in REPEATS:
        low, _high, items = value
        return _sequence(items) if low >= 1 else None
    return None  # a class, an anchor, a lookaround: nothing it must contain


def _either(branches):
    found = [_sequence(branch) for branch in branches]
    if any(not strings for strings in found):
        return None
    return frozenset().union(*found)


class Screened:
    """A compiled regex that is only run on a text holding one of its necessary strings.

    With many patterns in one rule nearly every long sentence holds some pattern's strings, so
    the screen also works pattern by pattern: the regex run on a text is the alternation of the
    patterns whose strings it holds. A pattern that cannot match anywhere in the text can win
    at no position of it, so leaving it out gives the same matches in the same order.
    """

    CACHE_LIMIT = 4096  # alternations of a few patterns each; cleared, not grown, past this

    def __init__(self, regex, strings, parts=None):
        self.regex = regex
        self.strings = tuple(sorted(strings)) if strings else None
        self.parts = parts  # (strings or None, pattern source) per pattern, in order
        self._subsets = {}

    def could_match(self, text):
        return self.strings is None or any(string in text for string in self.strings)

    def regex_for(self, text):
        """The regex to run on text, or None when no pattern can match it."""
        if not self.parts or len(self.parts) == 1:
            return self.regex if self.could_match(text) else None
        chosen = tuple(index for index, (strings, _) in enumerate(self.parts)
                       if strings is None or any(string in text for string in strings))
        if len(chosen) == len(self.parts):
            return self.regex
        return self._subset(chosen) if chosen else None

    def _subset(self, chosen):
        found = self._subsets.get(chosen)
        if found is None:
            if len(self._subsets) >= self.CACHE_LIMIT:
                self._subsets.clear()
            found = re.compile(r"\b(?:" + "|".join(f"(?:{self.parts[index][1]})"
                                                   for index in chosen) + r")\b")
            self._subsets[chosen] = found
        return found

    def finditer(self, text):
        regex = self.regex_for(text)
        return regex.finditer(text) if regex is not None else iter(())

    def search(self, text):
        regex = self.regex_for(text)
        return regex.search(text) if regex is not None else None


def screened(regex, patterns):
    """regex, compiled from patterns, behind the screen of all their necessary strings."""
    found = [necessary_strings(pattern) for pattern in patterns]
    parts = list(zip(found, patterns, strict=True))
    if not found or any(not strings for strings in found):
        return Screened(regex, None, parts)
    return Screened(regex, frozenset().union(*found), parts)
