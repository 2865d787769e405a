import pytest
from playwright.sync_api import expect

from interlude.audit.models import AuditEvent
from interlude.outreach.models import Delivery
from tests import factories
from tests.browser.conftest import assert_accessible, log_in
from tests.dispatcher_support import add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_retries_a_dead_delivery(page):
    w = factories.world()
    dead = add(w.practice, "reminder:1", channel="email", recipient=w.client.user,
               address=w.client.user.email, body="Private words")
    Delivery.objects.filter(pk=dead.pk).update(
        state="dead", attempts=8, last_error="TemporaryFailure: SMTP 451: the server refused "
                                             "for now")
    add(w.practice, "welcome:1", recipient=w.client.user)

    log_in(page, w.admin)
    page.get_by_role("link", name="Deliveries").click()
    expect(page.get_by_role("heading", name="Deliveries", level=1)).to_be_visible()
    dead_row = page.locator(f"#dead-{dead.pk}")
    expect(dead_row).to_contain_text("SMTP 451")
    expect(dead_row).to_contain_text(w.client.user.full_name)
    expect(page.get_by_text("Private words")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name=f"Retry #{dead.pk}").click()
    expect(page.get_by_role("status").filter(has_text=f"Delivery #{dead.pk}")) \
        .to_contain_text("will be sent again now")
    expect(page.get_by_text("No delivery has failed for good.")).to_be_visible()
    expect(page.locator(f"#delivery-{dead.pk}")).to_contain_text("Pending")
    assert_accessible(page)

    dead.refresh_from_db()
    assert (dead.state, dead.attempts) == ("pending", 0)
    assert AuditEvent.objects.filter(action="retry", object_id=str(dead.pk),
                                     actor=w.admin).count() == 1
