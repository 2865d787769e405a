"""The digest at the start of office hours leads to the inbox: the clinician opens it from
their notifications and lands on the inbox, where the released thread waits unread."""

import re

import pytest
from playwright.sync_api import expect

from interlude.inbox import holding
from tests import factories
from tests.browser.conftest import assert_accessible, log_in
from tests.inbox_staff_support import (
    ELEVATED_TEXT,
    MONDAY_OPEN,
    SUNDAY_NIGHT,
    deliver,
    fixed_triage,  # noqa: F401 - autouse
    inbox_client,
    send,
    with_hours,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_digest_link_opens_the_inbox(page):
    home = factories.practice("Harbor Counseling")
    rivera = with_hours(factories.clinician(home, name="Dr. Rivera"))
    send(inbox_client(rivera, name="Ana Lopez"), ELEVATED_TEXT, SUNDAY_NIGHT)
    send(inbox_client(rivera, name="Ben Ortiz"), "See you Thursday.", SUNDAY_NIGHT)
    holding.release_due(MONDAY_OPEN)
    deliver()
    log_in(page, rivera.user)

    page.goto("/notifications/")
    digest = page.locator(".card", has=page.get_by_role("heading", name="Your inbox digest"))
    expect(digest).to_contain_text("2 messages arrived outside your hours from 2 clients. "
                                   "1 is flagged for attention.")
    digest.get_by_role("link", name="Open").click()

    expect(page).to_have_url(re.compile(r"/inbox/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    expect(page.get_by_role("row", name="Ana Lopez")).to_contain_text("Elevated")
    expect(page.get_by_role("row", name="Ana Lopez")).to_contain_text("1 unread")
    expect(page.get_by_role("row", name="Ben Ortiz")).to_contain_text("1 unread")
    assert_accessible(page)
