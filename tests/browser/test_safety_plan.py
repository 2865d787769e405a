"""A client reaches their safety plan in one tap, and it still opens when the server cannot be
reached; logging out deletes the copy kept on the device."""

import pytest

from interlude.audit.models import AuditEvent
from interlude.crisis.safety_plans import save_plan
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORED = """async () => {
  const page = await caches.match(location.origin + '/me/safety-plan/', {ignoreVary: true});
  return !!page;
}"""


def plan_reads():
    return AuditEvent.objects.filter(object_type="SafetyPlan", action="view").count()


def test_it_opens_the_plan_in_one_tap_and_keeps_it_offline(page):
    w = factories.world()
    save_plan(w.clinician.user, w.client, {"warning_signs": "Lying awake past 3 am",
                                           "reasons_for_living": "Walking my dog"})
    log_in(page, w.client.user)
    page.get_by_role("link", name="Crisis help", exact=True).click()
    page.wait_for_url("**/me/crisis/")
    assert page.locator(".safety-plan").get_by_text("Lying awake past 3 am").is_visible()
    assert page.locator('a[href="tel:988"]').first.is_visible()
    assert_accessible(page)

    page.goto("/me/safety-plan/")
    assert page.get_by_role("heading", name="My safety plan").is_visible()
    assert_accessible(page)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(STORED)

    reads = plan_reads()
    page.context.set_offline(True)
    page.reload()
    assert page.locator(".safety-plan").get_by_text("Walking my dog").is_visible()
    assert page.locator('a[href="tel:988"]').first.is_visible()
    assert page.get_by_text("You are offline.").is_visible()
    assert plan_reads() == reads, "the offline copy must come from the device, not the server"

    page.context.set_offline(False)
    page.goto("/me/safety-plan/")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/**")
    assert page.evaluate("caches.keys()") == []
    assert page.evaluate(
        "navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
