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
STORED_URLS = """async () => {
  const names = await caches.keys();
  const urls = [];
  for (const name of names) {
    for (const request of await (await caches.open(name)).keys()) { urls.push(request.url); }
  }
  return urls;
}"""


def test_the_plan_is_stored_from_the_first_page_and_opens_offline(page):
    w = factories.world()
    save_plan(w.clinician.user, w.client, {"reasons_for_living": "Walking my dog"})
    log_in(page, w.client.user)
    assert "/me/safety-plan/" not in page.url and "/me/crisis/" not in page.url
    page.wait_for_function(STORED, timeout=20_000)
    stored = page.evaluate(STORED_URLS)
    assert any(url.endswith(".css") for url in stored), stored

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
