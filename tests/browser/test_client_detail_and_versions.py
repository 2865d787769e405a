"""A clinician opens a client from the caseload, reads what is open now and the list of
agreement versions, then opens a signed earlier version to see who signed it and when, in a
real browser. Every read is in the audit trail; both pages pass axe-core's WCAG 2.2 AA checks."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 15:30 UTC is 07:30 in Los Angeles (PST) on 2 March 2026, the clinician's own clock.
SIGNED_AT = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
SIGNED_LOCALLY = "Mon 2 Mar 2026, 07:30"
CHANNELS = ("Self-help tools", "Automated messages", "Inbox", "Check-ins", "Crisis route")


def client_with_two_versions():
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera", licensed=(("US", "NY"),))
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana Flores")
    first = factories.agreement(ana, version=1, created_at=datetime(2026, 3, 1, 17, tzinfo=UTC))
    AgreementSignature.objects.create(agreement=first, signed_by=ana.user, signed_at=SIGNED_AT,
                                      version=1, ip_address="203.0.113.7")
    second = factories.agreement(ana, version=2, checkins_open=True, checkin_weekly_cap=2,
                                 created_at=datetime(2026, 4, 1, 17, tzinfo=UTC))
    return rivera, ana, first, second


def views_of(actor, object_type, object_id):
    return AuditEvent.objects.filter(actor=actor, action="view", object_type=object_type,
                                     object_id=str(object_id))


def test_a_clinician_reads_a_clients_versions_and_who_signed_the_first(page):
    rivera, ana, first, second = client_with_two_versions()
    log_in(page, rivera.user)

    page.goto("/clients/")
    expect(page.get_by_role("row", name="Ana Flores")).to_contain_text("Awaiting signature")
    page.get_by_role("link", name="Ana Flores").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Flores")
    expect(page.get_by_text("Current version: 2")).to_be_visible()

    now = page.get_by_role("region", name="What is open now")
    for channel in CHANNELS:
        row = now.get_by_role("row", name=channel)
        expect(row).to_contain_text("Closed")
        expect(row).to_contain_text("The client has not signed the current agreement.")

    versions = page.get_by_role("region", name="Versions")
    expect(versions.get_by_role("row", name="Version 2")).to_contain_text("Not signed")
    expect(versions.get_by_role("row", name="Version 1")).to_contain_text(
        f"Signed {SIGNED_LOCALLY} by Ana Flores")
    assert_accessible(page)

    versions.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Agreement version 1 for Ana Flores")
    signature = page.get_by_role("region", name="Signature")
    expect(signature.get_by_role("definition").nth(0)).to_have_text("Ana Flores")
    expect(signature.get_by_role("definition").nth(1)).to_have_text(
        f"{SIGNED_LOCALLY} (America/Los_Angeles)")
    expect(signature.get_by_role("definition").nth(2)).to_have_text("203.0.113.7")
    assert_accessible(page)

    assert views_of(rivera.user, "Client", ana.pk).count() == 1
    assert views_of(rivera.user, "ConnectionAgreement", second.pk).get().detail == {
        "version": 2}
    first_view = views_of(rivera.user, "ConnectionAgreement", first.pk).get()
    assert (first_view.detail, first_view.client_id_ref) == ({"version": 1}, ana.pk)
    assert not AuditEvent.objects.filter(action="view").exclude(actor=rivera.user).exists()
