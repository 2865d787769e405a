"""A client sends an urgent message: the very next screen shows their safety plan and the
crisis lines, says who has the message now, and an urgent alert exists; the screen passes
axe-core's WCAG 2.2 AA checks."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interlude import triage
from interlude.agreements.models import AgreementSignature
from interlude.crisis.models import OnCallShift, UrgentAlert
from interlude.crisis.safety_plans import save_plan
from interlude.inbox.models import Message
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URGENT = "I have the pills in my hand and I am going to take them all tonight"


@pytest.fixture
def ana():
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera")
    factories.weekday_hours(rivera)
    on_call = factories.clinician(home, name="Dr. Okafor", on_call_eligible=True)
    now = timezone.now()
    OnCallShift.objects.create(practice=home, clinician=on_call,
                               starts_at=now - timedelta(hours=1),
                               ends_at=now + timedelta(hours=12))
    ana = factories.client(rivera, name="Ana")
    agreement = factories.agreement(ana, crisis_route="on_call")
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    save_plan(rivera.user, ana, {"warning_signs": "Counting the pills",
                                 "help_contacts": "Call my sister Marta"})
    return ana


def test_an_urgent_message_leads_straight_to_the_plan_and_the_lines(page, ana):
    assert triage.assess(URGENT).level == "urgent", "the test needs a text rated urgent"
    log_in(page, ana.user)
    page.goto("/me/messages/")
    page.get_by_label("Your message").fill(URGENT)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your message was sent")
    expect(page.get_by_role("alert")).to_contain_text(
        "Your message has been sent to the clinician on call now.")
    plan = page.locator(".safety-plan")
    expect(plan.get_by_text("Counting the pills")).to_be_visible()
    expect(plan.get_by_text("Call my sister Marta")).to_be_visible()
    expect(page.get_by_role("heading", name="Crisis lines")).to_be_visible()
    expect(page.locator('a[href="tel:988"]').first).to_be_visible()

    message = Message.objects.get(sender=Message.Sender.CLIENT)
    alert = UrgentAlert.objects.get(message=message)
    assert alert.state == UrgentAlert.State.OPEN
    assert alert.notices.get().recipient.clinician.display_name == "Dr. Okafor"
    assert_accessible(page)
