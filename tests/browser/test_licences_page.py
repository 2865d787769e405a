"""A clinician records a licence for a province on their licences page, sees it listed, then
removes it, in a real browser; the page passes axe-core's WCAG 2.2 AA checks."""

import pytest
from playwright.sync_api import expect

from interlude.accounts.models import License
from interlude.audit.models import AuditEvent
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_adds_a_licence_sees_it_listed_and_removes_it(page):
    w = factories.world()
    License.objects.filter(clinician=w.clinician).update(region="CA")
    log_in(page, w.clinician.user)

    page.goto("/hours/")
    page.get_by_role("link", name="Your licences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your licences")
    on_record = page.get_by_role("region", name="Licences on record")
    expect(on_record.get_by_role("listitem")).to_have_count(1)
    expect(on_record.get_by_role("listitem")).to_contain_text("California, United States")
    assert_accessible(page)

    page.get_by_label("Country").select_option("CA")
    page.get_by_label("State or province").fill("on")
    page.get_by_label("Licence number").fill("ON-2041")
    page.get_by_role("button", name="Add the licence").click()
    expect(page.get_by_role("status")).to_contain_text("Licence recorded.")
    expect(on_record.get_by_role("listitem")).to_have_count(2)
    expect(on_record.get_by_role("listitem").filter(has_text="Ontario, Canada")).to_contain_text(
        "ON-2041")
    assert_accessible(page)

    added = License.objects.get(clinician=w.clinician, country="CA")
    assert (added.region, added.number) == ("ON", "ON-2041")
    assert w.other_clinician.licenses.count() == 1
    assert AuditEvent.objects.filter(actor=w.clinician.user, action="create",
                                     object_type="License", object_id=str(added.pk)).exists()

    page.get_by_role("button", name="Remove the licence for Ontario, Canada").click()
    expect(page.get_by_role("status")).to_contain_text("Licence removed.")
    expect(on_record.get_by_role("listitem")).to_have_count(1)
    expect(on_record.get_by_text("Ontario, Canada")).to_have_count(0)
    assert_accessible(page)

    assert list(w.clinician.licenses.values_list("country", "region")) == [("US", "CA")]
    assert AuditEvent.objects.filter(actor=w.clinician.user, action="delete",
                                     object_type="License", object_id=str(added.pk)).exists()
