"""A client opens Messages, reads what to expect before sending, watches the counter as they
type (and go over the limit), sends, and lands on the page for that message; the pages pass
axe-core's WCAG 2.2 AA checks."""

import re

import pytest
from playwright.sync_api import expect

from interlude.agreements.models import AgreementSignature
from interlude.inbox.models import Message
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Can we move Thursday to 4pm?"


@pytest.fixture
def ana():
    rivera = factories.clinician(factories.practice("Harbor Counseling"), name="Dr. Rivera",
                                 time_zone="America/Los_Angeles", pronoun="she")
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana", time_zone="America/New_York")
    agreement = factories.agreement(ana)
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    return ana


def test_a_client_reads_the_expectation_types_and_sends(page, ana):
    log_in(page, ana.user)
    page.get_by_role("link", name="Messages", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages with Dr. Rivera")
    expectation = page.get_by_role("region", name="Before you send")
    expect(expectation).to_contain_text(
        "Dr. Rivera reads messages on weekdays 9:00-17:00 Pacific time "
        "(that is 12:00-20:00 your time).")
    expect(expectation).to_contain_text("I read messages within 1 business day.")

    box = page.get_by_label("Your message")
    counter = page.locator("#id_body_count")
    expect(counter).to_have_text("0 of 2,000 characters")
    expect(counter).to_have_attribute("aria-live", "polite")
    assert_accessible(page)

    box.fill("x" * 2001)
    expect(counter).to_have_text(re.compile(r"^2,001 of 2,000 characters: too long"))
    expect(counter).to_have_class(re.compile(r"\berror\b"))
    expect(box).to_have_attribute("aria-invalid", "true")

    box.fill("")
    box.press_sequentially(TEXT)
    expect(counter).to_have_text(f"{len(TEXT)} of 2,000 characters")
    expect(box).not_to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your message was sent")
    message = Message.objects.get(sender=Message.Sender.CLIENT)
    assert page.url.endswith(f"/me/messages/sent/{message.pk}/")
    expect(page.get_by_role("region", name="What happens next")).to_contain_text(
        re.compile(r"delivered to Dr. Rivera now|waiting for Dr. Rivera's reading hours"))
    assert_accessible(page)


def test_a_message_over_the_limit_comes_back_with_the_text_and_the_error(page, ana):
    log_in(page, ana.user)
    page.goto("/me/messages/")
    text = "y" * 2001
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("Messages are limited to 2,000 characters")
    expect(page.get_by_label("Your message")).to_have_value(text)
    assert not Message.objects.exists()
    assert_accessible(page)
