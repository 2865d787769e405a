"""A clinician starts an agreement from the DBT preset, changes the weekly check-in cap,
acknowledges the warning for a client in a state where they hold no licence, and offers
version 1, in a real browser; the pages pass axe-core's WCAG 2.2 AA checks."""

import pytest
from playwright.sync_api import expect

from interlude.agreements.models import ConnectionAgreement
from interlude.audit.models import AuditEvent
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_offers_a_dbt_agreement_across_borders(page):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera", modality="dbt",
                                 licensed=(("US", "CA"),))
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana Flores", country="US", region="NY")
    log_in(page, rivera.user)

    page.goto("/clients/")
    page.get_by_role("link", name="Ana Flores").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Flores")
    expect(page.get_by_text("Telehealth across borders")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Offer an agreement").click()
    page.get_by_role("link", name="DBT: phone coaching in set hours").click()
    expect(page.get_by_role("heading", name="Telehealth across borders")).to_be_visible()
    cap = page.get_by_label("Check-ins per week")
    expect(cap).to_have_value("2")
    expect(page.get_by_label("Phone coaching calls")).to_be_checked()
    expect(page.get_by_label("The clinician, in set crisis hours")).to_be_checked()
    assert_accessible(page)

    cap.fill("3")
    page.get_by_role("button", name="Offer this agreement").click()
    acknowledgement = page.get_by_label("I understand that I hold no licence in New York")
    expect(acknowledgement).to_have_accessible_description(
        "Tick the acknowledgement to offer this agreement across borders.")
    expect(page.get_by_label("Check-ins per week")).to_have_value("3")
    assert not ConnectionAgreement.objects.exists()
    assert_accessible(page)

    acknowledgement.check()
    page.get_by_role("button", name="Offer this agreement").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Version 1 offered; channels stay closed until Ana Flores signs it.")
    expect(page.get_by_text("Current version: 1")).to_be_visible()
    expect(page.get_by_text("Awaiting signature").first).to_be_visible()
    assert_accessible(page)

    agreement = ConnectionAgreement.objects.get(client=ana)
    assert (agreement.version, agreement.preset, agreement.checkin_weekly_cap) == (1, "dbt", 3)
    assert agreement.coaching_calls and agreement.twenty_four_hour_rule
    assert agreement.jurisdiction_acknowledged_at is not None
    assert AuditEvent.objects.filter(action="jurisdiction_acknowledged", actor=rivera.user,
                                     client_id_ref=ana.pk).count() == 1
