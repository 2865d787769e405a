"""A client with a signed first version and a new, unsigned second version opens the list of
their agreement versions from the agreement page and sees both, with the day they signed the
first in their own time zone, in a real browser; the page passes axe-core's WCAG 2.2 AA checks."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 03:30 UTC on 2 March is still the evening of 1 March in New York, where the client lives.
SIGNED_AT = datetime(2026, 3, 2, 3, 30, tzinfo=UTC)


def test_a_client_sees_both_versions_and_when_they_signed_the_first(page):
    w = factories.world()
    ana = w.client
    first = factories.agreement(ana, version=1, created_at=datetime(2026, 2, 20, 17, tzinfo=UTC))
    AgreementSignature.objects.create(agreement=first, signed_by=ana.user, signed_at=SIGNED_AT,
                                      version=1)
    factories.agreement(ana, version=2, created_at=datetime(2026, 4, 1, 17, tzinfo=UTC))
    factories.agreement(w.other_client, version=1)
    log_in(page, ana.user)

    page.goto("/me/agreement/")
    expect(page.get_by_text("Version 2, from 1 April 2026.")).to_be_visible()
    page.get_by_role("link", name="Earlier versions").click()
    page.wait_for_url("**/me/agreement/history/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Earlier versions of your agreement")

    rows = page.get_by_role("table").locator("tbody").get_by_role("row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).get_by_role("cell")).to_have_text(
        ["2 current", "1 April 2026", "Not signed"])
    expect(rows.nth(1).get_by_role("cell")).to_have_text(
        ["1", "20 February 2026", "1 March 2026"])
    assert_accessible(page)

    view = AuditEvent.objects.get(actor=ana.user, action="view",
                                  object_type="ConnectionAgreementHistory")
    assert (view.object_id, view.client_id_ref, view.detail) == (str(ana.pk), ana.pk,
                                                                 {"versions": 2})
    assert AgreementSignature.objects.filter(agreement__client=ana).count() == 1
