"""A client switches their profile to Spanish and the pages answer in Spanish."""

import pytest

from interlude.accounts.models import User
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_switches_a_client_to_spanish(page):
    w = factories.world()
    log_in(page, w.client.user)
    page.goto("/me/profile/")
    assert_accessible(page)
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    assert User.objects.get(pk=w.client.user.pk).preferred_language == "es"
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_label("Idioma").input_value() == "es"
    assert page.get_by_role("heading", name="Tu perfil").is_visible()
    assert page.get_by_label("Zona horaria").is_visible()
    assert page.get_by_role("button", name="Guardar").is_visible()
    assert page.get_by_role("link", name="Ayuda urgente").is_visible()
    assert page.get_by_text("Tu perfil se ha guardado.").is_visible()
    assert_accessible(page)


def test_the_crisis_page_is_one_tap_away_and_accessible(page):
    w = factories.world()
    log_in(page, w.client.user)
    page.goto("/me/profile/")
    page.get_by_role("link", name="Crisis help").click()
    page.wait_for_url("**/me/crisis/")
    assert page.locator('a[href="tel:988"]').first.is_visible()
    assert_accessible(page)
