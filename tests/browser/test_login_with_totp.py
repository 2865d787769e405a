"""A clinician logs in in a real browser, typing the code from their authenticator."""

import pytest

from tests import factories
from tests.browser.conftest import assert_accessible, current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_logs_a_clinician_in_with_password_and_code(page):
    w = factories.world()
    user = w.clinician.user
    page.goto("/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/login/verify/")
    assert_accessible(page)
    page.get_by_label("One-time code").fill(current_code(user))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/clients/")
    assert page.get_by_role("button", name="Log out").is_visible()
    assert page.get_by_role("link", name="Security").is_visible()


def test_it_refuses_a_wrong_code_in_the_browser(page):
    w = factories.world()
    user = w.clinician.user
    page.goto("/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/login/verify/")
    page.get_by_label("One-time code").fill("not-a-code")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state()
    assert "/login/verify/" in page.url
    assert page.get_by_text("That code did not work").is_visible()


def test_the_login_page_is_accessible(page):
    page.goto("/login/")
    assert page.get_by_role("heading", name="Log in").is_visible()
    assert_accessible(page)
    page.goto("/login/?idle=1")
    assert page.get_by_text("You were logged out after a period of inactivity.").is_visible()
    assert_accessible(page)


def test_the_two_factor_setup_page_is_accessible(page):
    w = factories.world()
    newcomer = factories.clinician(w.practice, with_totp=False).user
    page.goto("/login/")
    page.get_by_label("Email").fill(newcomer.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/account/two-factor/")
    assert page.get_by_role("img", name="QR code").is_visible()
    assert_accessible(page)
