"""The screen before each rule's regex skips only sentences the rule cannot match."""

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from interlude.triage import normalize
from interlude.triage.rules import compile_patterns, languages, load
from interlude.triage.screen import necessary_strings
from tests.test_triage_examples_data import LABELED


def test_it_names_the_most_telling_words_a_match_must_contain():
    assert necessary_strings("(want|wish) to die") == {"want to die", "wish to die"}
    assert necessary_strings("(overdose|overdosing|od)") == {"overdose", "overdosing", "od"}
    assert necessary_strings("(kill|killing) myself") == {"kill myself", "killing myself"}
    assert necessary_strings("(i )?(want|wish)") == {"want", "wish"}
    assert necessary_strings("(took|swallowed) (\\w+ ){0,2}pills") == {"pills"}


def test_it_names_nothing_when_a_match_may_hold_none_of_its_words():
    assert necessary_strings("(\\w+ ){0,3}") is None
    assert necessary_strings("(die|)") is None
    assert necessary_strings("[a-z]+") is None


def test_it_runs_a_pattern_it_cannot_read_on_every_sentence():
    regex = compile_patterns(["[xyz]+", "want to die"])
    assert regex.strings is None
    assert regex.search("zz")


def test_it_skips_a_sentence_that_holds_none_of_the_words():
    regex = compile_patterns(["(want|wish) to die"])
    assert not regex.could_match("see you on tuesday")
    assert regex.search("some days i want to die")


def test_it_never_screens_out_a_labeled_sentence_a_rule_matches():
    for lang in languages():
        lexicon = load(lang)
        screened = [*lexicon.rules, *lexicon.exceptions,
                    *(cue for cues in lexicon.cues.values() for cue in cues)]
        for text in labeled_texts()[::3]:
            for sentence in normalize.sentences(text, lexicon):
                for entry in screened:
                    if entry.regex.regex.search(sentence.text):
                        assert entry.regex.could_match(sentence.text), (entry.id, text)


WORDS = ("a", "an", "die", "dying", "to", "want", "wish", "not", "i")


def patterns():
    word = st.sampled_from(WORDS)
    leaf = st.one_of(word, st.just(r"\w+"), st.just("[ai]"))

    def grow(inner):
        return st.one_of(
            st.lists(inner, min_size=2, max_size=3).map(" ".join),
            st.lists(inner, min_size=2, max_size=3).map(lambda parts: f"({'|'.join(parts)})"),
            inner.map(lambda part: f"({part} )?"),
            st.tuples(inner, st.integers(0, 2)).map(lambda pair: f"({pair[0]} ){{{pair[1]},3}}"))

    return st.recursive(leaf, grow, max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(patterns(), st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join))
def test_a_text_a_pattern_matches_always_passes_its_screen(pattern, text):
    regex = compile_patterns([pattern])
    if regex.regex.search(text):
        assert regex.could_match(text)


def labeled_texts():
    return [json.loads(line)["text"] for path in sorted(LABELED.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_screened_patterns_compile_as_before():
    assert isinstance(compile_patterns(["want to die"]).regex, re.Pattern)


def test_it_runs_only_the_patterns_whose_words_the_text_holds():
    regex = compile_patterns(["(want|wish) to die", "end it all",
                              "(took|swallowed) (\\w+ ){0,2}pills"])
    assert [hit.group() for hit in regex.finditer("i took my pills and i want to die")] == [
        "took my pills", "want to die"]
    assert regex.regex_for("i want to die").pattern.count("|") < regex.regex.pattern.count("|")
    assert regex.regex_for("see you on tuesday") is None


@settings(max_examples=200, deadline=None)
@given(st.lists(patterns(), min_size=2, max_size=4),
       st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join))
def test_the_patterns_a_text_can_match_find_what_all_of_them_find(some, text):
    regex = compile_patterns(some)
    assert [hit.span() for hit in regex.finditer(text)] == [
        hit.span() for hit in regex.regex.finditer(text)]
