import re

import pytest
from playwright.sync_api import expect

from interlude.audit.models import AuditEvent
from interlude.audit.service import record
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_filters_the_audit_trail_by_action(page):
    w = factories.world()
    record(w.clinician.user, "view", "ConnectionAgreement", 7, client=w.client)
    record(w.clinician.user, "update", "ConnectionAgreement", 7, client=w.client)
    record(w.foreign_clinician.user, "update", "Client", w.foreign_client.pk,
           client=w.foreign_client)

    log_in(page, w.admin)
    page.goto("/audit/")
    expect(page.get_by_role("heading", name="Audit trail", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Action").select_option("update")
    page.get_by_role("button", name="Show events").click()
    expect(page).to_have_url(re.compile(r"action=update"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("ConnectionAgreement 7")
    expect(rows.first).to_contain_text(w.clinician.user.email)
    expect(rows.first).to_contain_text(w.client.display_name)
    expect(page.get_by_text(w.foreign_client.display_name)).to_have_count(0)
    assert_accessible(page)

    viewed = AuditEvent.objects.filter(actor=w.admin, object_type="AuditTrail")
    assert [e.detail["filters"] for e in viewed.order_by("seq")] == [{}, {"action": "update"}]
