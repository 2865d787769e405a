import pytest

from interlude.triage import assess


@pytest.mark.parametrize("text", [
    "kms", "honestly i might kms tn", "thinking about sewerslide a lot",
    "i want to unalive myself", "wanna die rn", "i just wanna sleep forever",
])
def test_it_understands_texting_shorthand_and_euphemisms(text):
    assert assess(text, "en").level == "urgent"


def test_it_quotes_the_shorthand_as_written():
    result = assess("ugh kms", "en")
    assert result.reasons[0].words == "kms"
