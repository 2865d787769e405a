"""A point before a digit belongs to a number (a rifle's ".30-06", "2.5 mg") and the point of a
title to its word ("Mrs. Ortiz", "St. Anne's"): neither may cut a sentence in two and hide a
gun, or a house left to a church, from the words that follow it."""

from interlude.triage import assess, normalize
from interlude.triage.rules import load


def words(text):
    return [sentence.text for sentence in normalize.sentences(text, load("en"))]


def test_it_keeps_a_calibre_in_its_sentence():
    assert words("out back with the .30-06 and not coming back") == [
        "out back with the 30 06 and not coming back"]


def test_it_keeps_a_dose_in_its_sentence():
    assert words("took 2.5 mg tonight. feeling ok") == ["took 2 5 mg tonight", "feeling ok"]


def test_it_still_ends_a_sentence_before_a_number_after_a_space():
    assert words("I'm done. 2 more days of work") == ["im done", "2 more days of work"]


def test_it_reads_a_rifle_and_not_coming_back_as_urgent():
    result = assess("Heading to the back forty with the .30-06 and not coming back.", "en")
    assert result.level == "urgent"
    assert any(reason.rule == "en.plan.means" for reason in result.reasons)


def test_it_keeps_a_title_or_a_street_in_its_sentence():
    assert words("the house goes to St. Anne's and the cat to Mrs. Ortiz") == [
        "the house goes to st annes and the cat to mrs ortiz"]


def test_it_still_ends_a_sentence_after_an_ordinary_word():
    assert words("He said no. Then he left.") == ["he said no", "then he left"]
