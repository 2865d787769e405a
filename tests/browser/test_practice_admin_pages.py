"""A practice admin sees the practice's clinicians with their licences, adds a licence for one
of them, then changes the practice defaults (inbox promise, check-in cap, a weekly hour), in a
real browser; both pages pass axe-core's WCAG 2.2 AA checks."""

from datetime import time

import pytest
from playwright.sync_api import expect

from interlude.accounts.models import License
from interlude.agreements.models import PracticeDefaults, PracticeHours
from interlude.audit.models import AuditEvent
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROMISE = "I read messages on weekday mornings and reply within two business days."


def test_a_practice_admin_adds_a_licence_for_a_clinician(page):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera", licensed=(("US", "CA"),))
    factories.clinician(home, name="Dr. Okafor", licensed=())
    elsewhere = factories.clinician(factories.practice("Elsewhere Therapy"), name="Dr. Faraway")
    admin = factories.admin(home)
    log_in(page, admin)

    page.goto("/practice/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbor Counseling")
    rivera_card = page.get_by_role("region", name="Dr. Rivera")
    okafor_card = page.get_by_role("region", name="Dr. Okafor")
    expect(rivera_card.get_by_role("cell", name="California, United States",
                                   exact=True)).to_be_visible()
    expect(okafor_card.get_by_text("No licences yet")).to_be_visible()
    expect(page.get_by_text("Dr. Faraway")).to_have_count(0)
    assert_accessible(page)

    okafor_card.get_by_text("Add a licence").click()
    okafor_card.get_by_label("Country").select_option("US")
    okafor_card.get_by_label("State or province").fill("ny")
    okafor_card.get_by_label("Licence number").fill("NY-12345")
    okafor_card.get_by_role("button", name="Add licence").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Added a licence for New York, United States to Dr. Okafor.")
    okafor_card = page.get_by_role("region", name="Dr. Okafor")
    expect(okafor_card.get_by_role("cell", name="New York, United States",
                                   exact=True)).to_be_visible()
    expect(okafor_card.get_by_role("cell", name="NY-12345")).to_be_visible()
    assert_accessible(page)

    added = License.objects.get(clinician__display_name="Dr. Okafor")
    assert (added.country, added.region, added.number) == ("US", "NY", "NY-12345")
    assert list(rivera.licenses.values_list("country", "region")) == [("US", "CA")]
    assert elsewhere.licenses.count() == 1
    assert AuditEvent.objects.filter(actor=admin, object_type="License",
                                     object_id=str(added.pk)).exists()


def test_a_practice_admin_changes_the_practice_defaults(page):
    home = factories.practice("Harbor Counseling")
    factories.clinician(home, name="Dr. Rivera")
    admin = factories.admin(home)
    other = factories.practice("Elsewhere Therapy")
    log_in(page, admin)

    page.goto("/practice/")
    page.get_by_role("link", name="Practice defaults: agreements and weekly hours").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice defaults")
    assert_accessible(page)

    page.get_by_label("Default inbox promise").fill(PROMISE)
    page.get_by_label("Check-ins per week (0 for none)").fill("3")
    tuesday = page.get_by_role("group", name="Tuesday", exact=True)
    tuesday.get_by_label("From", exact=True).fill("08:30")
    tuesday.get_by_label("Until", exact=True).fill("12:00")
    page.get_by_role("button", name="Save the defaults").click()

    expect(page.get_by_role("status")).to_contain_text("The practice defaults are saved.")
    expect(page.get_by_label("Default inbox promise")).to_have_value(PROMISE)
    expect(page.get_by_label("Check-ins per week (0 for none)")).to_have_value("3")
    tuesday = page.get_by_role("group", name="Tuesday", exact=True)
    expect(tuesday.get_by_label("From", exact=True)).to_have_value("08:30")
    expect(tuesday.get_by_label("Until", exact=True)).to_have_value("12:00")
    assert_accessible(page)

    defaults = PracticeDefaults.objects.get(practice=home)
    assert (defaults.inbox_promise, defaults.checkin_weekly_cap) == (PROMISE, 3)
    hours = list(PracticeHours.objects.filter(practice=home).values_list("weekday", "start",
                                                                         "end"))
    assert hours == [(1, time(8, 30), time(12))]
    assert not PracticeDefaults.objects.filter(practice=other).exists()
    assert AuditEvent.objects.filter(actor=admin, action="update",
                                     object_type="PracticeDefaults").count() == 1
