"""In a real browser the clinician opens a thread, reads why a message was flagged, keeps it
for the next session, unpins an urgent message that found nobody on duty, and replies. The
page passes axe-core's WCAG 2.2 AA checks at each step."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interlude.inbox.models import AgendaItem, Message
from tests import factories
from tests.appointment_support import book
from tests.browser.conftest import assert_accessible, log_in
from tests.inbox_staff_support import (
    ELEVATED_TEXT,
    URGENT_TEXT,
    fixed_triage,  # noqa: F401 - autouse
    inbox_client,
    send,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_reads_keeps_unpins_and_replies(page):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera")  # no office hours: nothing is held
    ana = inbox_client(rivera, name="Ana Lopez")
    now = timezone.now()
    urgent = send(ana, URGENT_TEXT, now - timedelta(minutes=30))
    flagged = send(ana, ELEVATED_TEXT, now - timedelta(minutes=10))
    session = book(ana, now + timedelta(days=3))
    log_in(page, rivera.user)

    page.goto("/inbox/")
    row = page.get_by_role("row", name="Ana Lopez")
    expect(row).to_contain_text("Pinned: urgent, nobody was on duty")
    row.get_by_role("link", name="Ana Lopez").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages with Ana Lopez")
    message = page.locator(f"#message-{flagged.pk}")
    message.get_by_text("Why it was assessed as Elevated").click()
    expect(message).to_contain_text("test cue: “sleep”")
    assert_accessible(page)

    message.get_by_role("button", name="Keep for next session").click()
    expect(page.get_by_role("status")).to_contain_text("it is on that appointment's agenda")
    assert AgendaItem.objects.get(message=flagged).appointment == session

    page.locator(f"#message-{urgent.pk}").get_by_role("button", name="Unpin").click()
    expect(page.get_by_role("status")).to_contain_text("no longer pinned")

    page.get_by_label("Your reply").fill("Thank you for telling me. Let's talk on Thursday.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status")).to_contain_text("Your reply is sent.")
    expect(page.get_by_text("Thank you for telling me. Let's talk on Thursday.")).to_be_visible()
    assert_accessible(page)
    assert Message.objects.filter(sender="clinician", thread=flagged.thread).count() == 1
