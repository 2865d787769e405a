"""A clinician's reply has the same 2,000-character cap as a client's message, with a live
counter under the box; a reply over it is refused with a clear error and the text kept, never
cut short by the browser."""

import pytest
from playwright.sync_api import expect

from interlude.inbox.models import Message
from tests import factories
from tests.browser.conftest import assert_accessible, log_in
from tests.inbox_staff_support import (
    ELEVATED_TEXT,
    fixed_triage,  # noqa: F401 - autouse
    inbox_client,
    send,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_long_reply_is_counted_refused_and_kept(page):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera")
    ana = inbox_client(rivera, name="Ana Lopez")
    flagged = send(ana, ELEVATED_TEXT)
    log_in(page, rivera.user)
    page.goto(f"/inbox/{flagged.thread_id}/")
    box = page.get_by_label("Your reply")
    box.fill("Short and kind.")
    expect(page.locator("#id_text_count")).to_have_text("15 of 2,000 characters")

    too_long = "a" * 2001
    box.fill(too_long)
    expect(page.locator("#id_text_count")).to_contain_text("2,001 of 2,000 characters: too long")
    assert box.input_value() == too_long  # nothing cut by the browser
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Messages are limited to 2,000 characters")).to_be_visible()
    assert page.get_by_label("Your reply").input_value() == too_long
    assert_accessible(page)
    assert not Message.objects.filter(sender="clinician", thread=flagged.thread).exists()
