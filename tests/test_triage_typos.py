import pytest

from interlude.triage import assess


@pytest.mark.parametrize("text", [
    "i keep thinking about sucide",
    "i want to kil myself",
    "i want to diiiie",
    "nobdy wud even notce if i was gone",
    "im so tird of evrything i just wnat it to stop for good",
    "cant stop thinkin about jumping from my balcony",
    "QUIERO MATARME",
])
def test_it_sees_risk_through_typos_and_spelling(text):
    assert assess(text).level == "urgent"
