"""Behind a reverse proxy, a server that is down answers 502, 503 or 504 rather than failing
the request. For a client in distress that is the same as no connection: the safety plan kept
on the device opens instead of the error page."""

import pytest
from django.core.handlers.base import BaseHandler
from django.http import HttpResponse

from interlude.crisis.safety_plans import save_plan
from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORED = """async () => {
  const page = await caches.match(location.origin + '/me/safety-plan/', {ignoreVary: true});
  return !!page;
}"""


def test_the_stored_plan_opens_when_the_server_answers_with_an_error(page, monkeypatch):
    w = factories.world()
    save_plan(w.clinician.user, w.client, {"reasons_for_living": "Walking my dog"})
    log_in(page, w.client.user)
    page.goto("/me/safety-plan/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(STORED)

    real = BaseHandler.get_response

    def proxy_in_front_of_a_stopped_server(handler, request):
        if request.path == "/me/safety-plan/":
            return HttpResponse("Service Unavailable", status=503)
        return real(handler, request)

    monkeypatch.setattr(BaseHandler, "get_response", proxy_in_front_of_a_stopped_server)
    page.reload()
    assert page.locator(".safety-plan").get_by_text("Walking my dog").is_visible()
    assert not page.get_by_text("Service Unavailable").is_visible()
