"""The offline copy of the safety plan is on the device from the client's first page, not only
after they have opened the plan: the day the connection fails may be the first day they need
it. The copy keeps its stylesheets, and another person's sign-in never sees it."""

import pytest

from interlude.crisis.safety_plans import save_plan
from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORED = """async () => {
  const page = await caches.match(location.origin + '/me/safety-plan/', {ignoreVary: true});
  return !!page;
}"""
# The stylesheets of the page the client is on are the plan page's too (the base layout's);
# the worker stores them after the plan page itself, so wait for them separately.
STYLES_STORED = """async () => {
  const links = [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.href);
  for (const href of links) {
    if (!(await caches.match(href, {ignoreVary: true}))) { return false; }
  }
  return links.length > 0;
}"""


def test_the_plan_is_stored_from_the_first_page_and_opens_offline(page):
    w = factories.world()
    save_plan(w.clinician.user, w.client, {"reasons_for_living": "Walking my dog"})
    log_in(page, w.client.user)
    assert "/me/safety-plan/" not in page.url and "/me/crisis/" not in page.url
    # Installed (the pages stored), then active and in charge of this page's scope.
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=20_000)
    page.wait_for_function(STORED, timeout=20_000)
    page.wait_for_function(STYLES_STORED, timeout=20_000)

    page.context.set_offline(True)
    page.goto("/me/safety-plan/")
    assert page.locator(".safety-plan").get_by_text("Walking my dog").is_visible()
    # Styled from the device: the plan's stylesheet applied, not bare HTML.
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.safety-plan')).display") != ""
    assert page.evaluate("document.styleSheets.length") > 0


def test_a_clinician_sign_in_registers_no_worker(page):
    w = factories.world()
    log_in(page, w.clinician.user)
    page.goto("/inbox/")
    assert page.evaluate(
        "navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
