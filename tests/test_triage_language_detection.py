import pytest

from interlude.triage import assess, detect_language


@pytest.mark.parametrize(("text", "lang"), [
    ("I want to reschedule my appointment for next week", "en"),
    ("Quiero cambiar la cita para la semana que viene", "es"),
    ("", "en"),
])
def test_it_detects_the_language_from_common_words(text, lang):
    assert detect_language(text) == lang


def test_it_takes_the_language_from_the_client_profile_when_given():
    assert assess("kms", "es").lang == "es"
    assert assess("Quiero matarme", "en").lang == "en"


def test_it_falls_back_to_detection_for_an_unknown_language():
    assert assess("Quiero matarme", "fr").lang == "es"
