"""A message sent outside the clinician's hours waits: in a real browser the clinician sees it
as held, not unread. When the hours open and the release runs, the thread shows it unread and
the digest appears among the notifications. The inbox and the thread pass axe-core's WCAG 2.2
AA checks."""

import pytest
from playwright.sync_api import expect

from interlude.inbox import holding
from tests import factories
from tests.browser.conftest import assert_accessible, log_in
from tests.inbox_staff_support import (
    MONDAY_OPEN,
    SUNDAY_NIGHT,
    deliver,
    fixed_triage,  # noqa: F401 - autouse
    inbox_client,
    send,
    with_hours,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_held_message_is_released_with_a_digest(page):
    home = factories.practice("Harbor Counseling")
    rivera = with_hours(factories.clinician(home, name="Dr. Rivera"))
    ana = inbox_client(rivera, name="Ana Lopez")
    send(ana, "I had a hard weekend, can we talk about it?", SUNDAY_NIGHT)
    log_in(page, rivera.user)

    page.goto("/inbox/")
    row = page.get_by_role("row", name="Ana Lopez")
    expect(row).to_contain_text("1 held until Monday 4 March, 9:00")
    expect(row).not_to_contain_text("unread")
    assert_accessible(page)

    row.get_by_role("link", name="Ana Lopez").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages with Ana Lopez")
    expect(page.get_by_text("I had a hard weekend")).to_have_count(0)
    assert_accessible(page)

    assert holding.release_due(MONDAY_OPEN) == 1
    deliver()

    page.goto("/inbox/")
    row = page.get_by_role("row", name="Ana Lopez")
    expect(row).to_contain_text("1 unread")
    expect(row).not_to_contain_text("held until")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Notifications 1").click()
    expect(page.get_by_role("heading", name="Your inbox digest")).to_be_visible()
    expect(page.get_by_text("1 message arrived outside your hours from 1 client.")) \
        .to_be_visible()


def test_the_clinician_reads_held_messages_on_purpose(page):
    home = factories.practice("Harbor Counseling")
    rivera = with_hours(factories.clinician(home, name="Dr. Rivera"))
    ana = inbox_client(rivera, name="Ana Lopez")
    message = send(ana, "I had a hard weekend, can we talk about it?", SUNDAY_NIGHT)
    log_in(page, rivera.user)

    page.goto(f"/inbox/{message.thread_id}/")
    page.get_by_role("button", name="Read the held messages now").click()

    expect(page.get_by_text("I had a hard weekend, can we talk about it?")).to_be_visible()
    assert_accessible(page)
    message.refresh_from_db()
    assert message.released_at is None and message.read_at is None
