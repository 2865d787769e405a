"""Client pages in Spanish: the compiled catalogue matches its source, every string a client can
see has a Spanish translation, and the pages a Spanish-speaking client opens are in Spanish."""

import io
import tokenize
from ast import literal_eval
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation.template import templatize

from interlude.agreements.models import AgreementSignature
from interlude.agreements.presets import preset_fields
from tests import factories

PACKAGE = Path(__file__).resolve().parent.parent / "interlude"
PO = PACKAGE / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
GETTEXT_CALLS = {"gettext": 0, "ngettext": 0, "pgettext": 1, "npgettext": 1}


def client_facing(path):
    """Templates a client can see: the shared layout, every template in a `client` folder or
    named `client_*`, and the account pages (login, invitation, profile, crisis help, two-step
    login) but not the practice admin's."""
    relative = path.relative_to(PACKAGE).as_posix()
    if relative == "templates/base.html" or "/templates/" in relative and "/client/" in relative:
        return True
    if "/templates/" in relative and path.name.startswith("client_"):
        return True
    return (relative.startswith("accounts/templates/accounts/")
            and not path.name.startswith("practice_"))


def client_templates():
    files = sorted(p for p in PACKAGE.glob("**/templates/**/*") if p.is_file()
                   and p.suffix in {".html", ".txt"})
    return [p for p in files if client_facing(p)]


def messages_of(catalogue):
    """{(context, msgid, msgid_plural): translations} of the translated entries."""
    found = {}
    for entry in catalogue:
        if not entry.msgid:
            continue  # the header
        key = (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
        if entry.msgid_plural:
            found[key] = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
        else:
            found[key] = (entry.msgstr,)
    return found


def template_messages(path):
    """(context, msgid) of every string marked for translation in a template, found the way
    makemessages finds them (Django's templatize), without needing gettext installed."""
    source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type in (tokenize.NAME, tokenize.STRING, tokenize.OP)]
    found = []
    for i, token in enumerate(tokens[:-1]):
        if token.type == tokenize.NAME and token.string in GETTEXT_CALLS \
                and tokens[i + 1].string == "(":
            strings = []
            for following in tokens[i + 2:]:
                if following.string == ")":
                    break
                if following.type == tokenize.STRING:
                    strings.append(literal_eval(following.string))
            has_context = GETTEXT_CALLS[token.string]
            context = strings[0] if has_context else ""
            found.append((context, strings[has_context]))
    return found


# --- the catalogue ------------------------------------------------------------------------

def test_it_ships_a_compiled_catalogue_that_matches_its_source(tmp_path):
    source = polib.pofile(str(PO))
    fresh = tmp_path / "django.mo"
    source.save_as_mofile(str(fresh))
    shipped = messages_of(polib.mofile(str(MO)))
    assert shipped == messages_of(polib.mofile(str(fresh))), (
        "django.mo is out of date: run `interlude compilemessages` in the interlude folder")
    assert len(shipped) > 100


def test_it_translates_every_string_of_the_client_pages_in_the_catalogue():
    catalogue = polib.pofile(str(PO))
    client_paths = {p.relative_to(PACKAGE).as_posix() for p in client_templates()}
    untranslated = sorted(
        (entry.msgid, [f for f, _line in entry.occurrences if f in client_paths])
        for entry in catalogue
        if not entry.obsolete and any(f in client_paths for f, _line in entry.occurrences)
        and (not entry.translated() or "fuzzy" in entry.flags))
    assert untranslated == []


def test_it_has_every_client_template_string_in_the_catalogue():
    """A string added to a client page after the last makemessages would show in English."""
    catalogue = {(e.msgctxt or "", e.msgid): e for e in polib.pofile(str(PO)) if not e.obsolete}
    templates = client_templates()
    assert any(p.name == "base.html" for p in templates)
    assert any(p.parent.name == "client" for p in templates)
    missing = [(p.relative_to(PACKAGE).as_posix(), key) for p in templates
               for key in template_messages(p)
               if key not in catalogue or not catalogue[key].translated()]
    assert missing == [], "run makemessages -l es, translate, then compilemessages"


def test_it_finds_the_strings_of_a_template_the_way_makemessages_does(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('{% load i18n %}<h1>{% translate "Your agreement" %}</h1>'
                    '{% blocktranslate with name=n %}Hello, {{ name }}{% endblocktranslate %}'
                    '{% translate "May" context "month" %}')
    assert template_messages(page) == [("", "Your agreement"), ("", "Hello, %(name)s"),
                                       ("month", "May")]


# --- the pages ----------------------------------------------------------------------------

@pytest.fixture
def ana():
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera", time_zone="America/Los_Angeles",
                                 licensed=(("ES", ""),))
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana", time_zone="Europe/Madrid", country="ES",
                           region="", language="es")
    factories.agreement(ana, preset="dbt", **preset_fields("dbt"))
    return ana


def page(client, user, name):
    factories.verified_login(client, user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_it_shows_a_spanish_speaking_client_their_agreement_in_spanish(client, ana):
    html = page(client, ana.user, "client_agreement")
    assert '<html lang="es">' in html
    for spanish in ("Tu acuerdo", "Qué usar para cada cosa", "Cuándo esperar una respuesta",
                    "La regla de las 24 horas", "En una crisis", "Llama al 112",
                    "He leído este acuerdo y estoy de acuerdo", "Firmar el acuerdo",
                    "Mi acuerdo", "Ayuda urgente", "Cerrar sesión",
                    "de lunes a viernes de 9:00 a 17:00, hora del Pacífico",
                    "Número europeo de emergencias", "Abierta día y noche"):
        assert spanish in html, spanish
    for english in ("Your agreement", "What to use for what", "When to expect an answer",
                    "In a crisis", "I have read this agreement", "Sign the agreement",
                    "My agreement", "Crisis help", "Log out", "on weekdays", "your time",
                    "European emergency number", "immediate danger", "Open day and night"):
        assert english not in html, english


@pytest.mark.django_db
def test_it_shows_a_spanish_speaking_client_their_home_page_in_spanish(client, ana):
    html = page(client, ana.user, "client_home")
    for spanish in ("Hola, Ana", "Tu terapeuta es Dr. Rivera.", "Inicio",
                    "Por favor, lee y firma tu acuerdo.", "Lee y firma tu acuerdo",
                    "¿Necesitas ayuda ahora mismo?"):
        assert spanish in html, spanish
    for english in ("Hello, Ana", "Your therapist is", "Please read and sign",
                    "Need help right now?", ">Home<"):
        assert english not in html, english


@pytest.mark.django_db
def test_it_writes_dates_in_spanish_for_a_spanish_speaking_client(client, ana):
    agreement = ana.agreements.get()
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    local = agreement.signature.signed_at.astimezone(ZoneInfo("Europe/Madrid"))
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre"]
    html = page(client, ana.user, "client_home")
    article = "la" if local.hour == 1 else "las"
    expected = (f"Firmaste este acuerdo el {local.day} de {months[local.month - 1]} de "
                f"{local.year} a {article} {local.hour}:{local.minute:02d}.")
    assert expected in html
    assert "¿Cuándo se leerá mi mensaje?" in html


@pytest.mark.django_db
def test_it_tells_a_spanish_speaking_client_when_a_message_will_be_read(client, monkeypatch):
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: saturday)
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera", time_zone="America/Los_Angeles",
                                 licensed=(("ES", ""),))
    factories.weekday_hours(rivera, start=time(16), end=time(17))
    ana = factories.client(rivera, name="Ana", time_zone="Europe/Madrid", country="ES",
                           region="", language="es")
    agreement = factories.agreement(ana)
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    html = page(client, ana.user, "client_home")
    # Monday 16:00 in Los Angeles is 1:00 on Tuesday in Madrid: "a la 1:00", not "a las".
    assert ("Dr. Rivera lee los mensajes de lunes a viernes de 16:00 a 17:00, hora del "
            "Pacífico (es decir, de martes a sábado de 1:00 a 2:00 en tu hora).") in html
    assert ("Un mensaje enviado ahora esperará hasta que Dr. Rivera vuelva a leer mensajes: "
            "el martes 1 de diciembre a la 1:00, en tu hora.") in html
    assert "Cerrado ahora. Abre el martes 1 de diciembre a la 1:00, en tu hora." in html


@pytest.mark.django_db
def test_it_keeps_english_for_an_english_speaking_client(client, ana):
    ana.user.preferred_language = "en"
    ana.user.save()
    html = page(client, ana.user, "client_agreement")
    assert "What to use for what" in html
    assert "Qué usar para cada cosa" not in html
