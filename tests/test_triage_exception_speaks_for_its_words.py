"""An exception may read context before the risk words without excusing that context: the
words it speaks for are the group named "words" in its pattern."""

from interlude.triage.engine import assess_rules
from interlude.triage.rules import compile_patterns, spoken_for


def test_it_excuses_only_the_words_the_pattern_names():
    regex = compile_patterns([r"storm (\w+ ){0,3}(?P<words>hid in the)"])
    hit = regex.search("during the storm we all hid in the basement")
    assert hit.group(0) == "storm we all hid in the"
    assert hit.string[slice(*spoken_for(hit))] == "hid in the"


def test_it_speaks_for_the_whole_match_when_no_words_are_named():
    hit = compile_patterns([r"hid in the"]).search("we hid in the basement")
    assert spoken_for(hit) == hit.span()


def test_each_pattern_of_an_entry_can_name_its_own_words():
    regex = compile_patterns([r"storm (?P<words>hid)", r"fireworks (?P<words>hiding)"])
    hit = regex.search("after the fireworks hiding again")
    assert hit.string[slice(*spoken_for(hit))] == "hiding"


def test_it_keeps_a_flashback_elevated_while_the_hiding_it_caused_is_excused():
    result = assess_rules("The fireworks set off a flashback and I hid in the closet", "en")
    assert result.level == "elevated"
    panic = [reason for reason in result.reasons if reason.rule == "en.panic"]
    assert panic and panic[0].modifier is None
    danger = [reason for reason in result.reasons if "danger" in reason.rule]
    assert danger and all(reason.level == "routine" for reason in danger)


def test_it_still_hears_hiding_from_a_person_after_a_flashback():
    result = assess_rules("Had a flashback and now I'm hiding in the closet from him", "en")
    assert result.level == "urgent"
