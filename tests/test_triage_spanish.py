import pytest

from interlude.triage import assess


@pytest.mark.parametrize(("text", "level"), [
    ("Ya no quiero vivir", "urgent"),
    ("Estoy pensando en quitarme la vida", "urgent"),
    ("quisiera no despertar mañana", "urgent"),
    ("Mi papá está borracho y dice que va a sacar la pistola.", "urgent"),
    ("Ya le escribí a mi hija que la quiero y que me perdone.", "urgent"),
    ("Volví a fumar marihuana todos los días", "elevated"),
    ("Nunca me haría daño, solo estoy cansada", "elevated"),
    ("¿Me puede mandar la factura de noviembre para el seguro?", "routine"),
])
def test_it_triages_spanish_messages(text, level):
    result = assess(text)
    assert result.lang == "es"
    assert result.level == level
