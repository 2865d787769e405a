import pytest

from interlude.crisis.resources import resources_for

PUBLISHED = [
    ("US", {"988", "911"}, "988 Suicide & Crisis Lifeline"),
    ("CA", {"988", "911"}, "9-8-8 Suicide Crisis Helpline"),
    ("GB", {"116123", "999"}, "Samaritans"),
    ("IE", {"116123", "112"}, "Samaritans"),
    ("AU", {"131114", "000"}, "Lifeline"),
    ("ES", {"112", "024"}, "European emergency number"),
    ("DE", {"112"}, "European emergency number"),
]


@pytest.mark.parametrize(("country", "phones", "first_named"), PUBLISHED)
def test_it_lists_the_published_crisis_lines_for_each_country(country, phones, first_named):
    resources = resources_for(country, "", language="en")
    assert phones <= {r.phone for r in resources}
    assert first_named in [r.name for r in resources]


def test_it_offers_the_crisis_text_line_in_the_united_states():
    texts = {r.name: r.text for r in resources_for("US", "NY", language="en")}
    assert texts["Crisis Text Line"] == "741741"


def test_it_ends_every_list_with_the_international_directory():
    for country in ("US", "JP", ""):
        assert resources_for(country, language="en")[-1].url == "https://findahelpline.com"


def test_it_describes_the_lines_in_spanish_for_a_spanish_speaking_client():
    spanish = resources_for("US", "CA", language="es")
    assert spanish[0].name == "Línea 988 de Prevención del Suicidio y Crisis"
    assert "Llama" in spanish[0].how
    assert spanish[0].phone == "988"
    assert resources_for("US", "CA", language="en")[0].how.startswith("Call or text 988")


def test_it_follows_the_active_language_when_none_is_given():
    from django.utils import translation

    with translation.override("es"):
        assert resources_for("GB")[0].how == "Llama al 116 123 (gratuito)"
    with translation.override("en"):
        assert resources_for("GB")[0].how == "Call 116 123 (free)"
