"""A clinician on call receives an urgent alert, opens it from the alerts list, reads who the
client is and what they wrote, and acknowledges it in a real browser; both pages pass axe-core's
WCAG 2.2 AA checks."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from interlude.crisis.models import OnCallShift, UrgentAlert
from interlude.inbox.services import send_from_client
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URGENT = "I want to kill myself tonight"


def test_the_clinician_on_call_opens_and_acknowledges_an_alert(page):
    home = factories.practice("Harbor Counseling")
    own = factories.clinician(home, name="Dr. Rivera")
    person = factories.client(own, name="Jordan Ellis", phone="+1 206 555 0199")
    agreement = factories.agreement(person, crisis_route="on_call")
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    on_call = factories.clinician(home, name="Dr. Okafor", on_call_eligible=True)
    now = timezone.now()
    OnCallShift.objects.create(practice=home, clinician=on_call, starts_at=now - timedelta(hours=1),
                               ends_at=now + timedelta(hours=8))
    alert = send_from_client(person.user, URGENT).alert
    assert alert.notices.get().recipient == on_call.user

    log_in(page, on_call.user)
    page.goto("/alerts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Urgent alerts")
    expect(page.get_by_text("1 alert on this page is waiting to be acknowledged.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Alert about Jordan Ellis").click()
    page.wait_for_url(f"**/alerts/{alert.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Urgent alert: Jordan Ellis")
    expect(page.get_by_role("link", name="+1 206 555 0199")).to_be_visible()
    expect(page.locator("blockquote")).to_have_text(URGENT)
    expect(page.get_by_text("suicidal ideation").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Acknowledge: I am taking this on").click()
    expect(page.get_by_role("status").first).to_contain_text("Alert acknowledged")
    expect(page.get_by_role("button", name="Acknowledge: I am taking this on")).to_have_count(0)
    assert_accessible(page)

    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by) == (UrgentAlert.State.ACKNOWLEDGED, on_call.user)
    actions = set(AuditEvent.objects.filter(object_type="UrgentAlert", actor=on_call.user)
                  .values_list("action", flat=True))
    assert actions == {"view", "acknowledge"}
