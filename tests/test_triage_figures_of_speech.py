import pytest

from interlude.triage import assess


@pytest.mark.parametrize(("text", "lang"), [
    ("This homework is killing me", "en"),
    ("I'm dying to tell you about my weekend", "en"),
    ("My boss will murder me if I'm late", "en"),
    ("I nailed that presentation, killed it", "en"),
    ("My mom is going to kill me when she finds out I failed", "en"),
    ("I was killing myself laughing at that show", "en"),
    ("Me muero de ganas de verte", "es"),
    ("Me mata el trabajo esta semana", "es"),
    ("Me quedé muerta de cansancio después de la mudanza", "es"),
    ("Mi jefe me va a matar si llego tarde", "es"),
])
def test_it_reads_figures_of_speech_as_routine(text, lang):
    assert assess(text, lang).level == "routine"


def test_it_still_hears_real_risk_next_to_a_figure_of_speech():
    assert assess("This job is killing me and I want to kill myself").level == "urgent"
