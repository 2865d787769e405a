import pytest
from playwright.sync_api import expect

from interlude.outreach.dispatcher import Dispatcher
from interlude.outreach.models import Notification
from tests import factories
from tests.browser.conftest import assert_accessible, log_in
from tests.dispatcher_support import add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_client_reads_a_notification_and_marks_it_read(page):
    w = factories.world()
    factories.agreement(w.client)
    add(w.practice, "welcome:1", recipient=w.client.user, subject="Welcome to Interlude",
        body="Your agreement is always one tap away.")
    add(w.practice, "welcome:2", recipient=w.other_client.user, subject="Not yours")
    Dispatcher("browser-test").run_once()

    log_in(page, w.client.user)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Notifications 1")).to_be_visible()
    nav.get_by_role("link", name="Notifications 1").click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_text("Your agreement is always one tap away.")).to_be_visible()
    expect(page.get_by_text("Not yours")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Mark “Welcome to Interlude” as read").click()
    expect(page.get_by_role("button", name="Mark “Welcome to Interlude” as read")) \
        .to_have_count(0)
    expect(nav.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert_accessible(page)

    notification = Notification.objects.get(user=w.client.user)
    assert notification.read_at is not None
    assert Notification.objects.get(user=w.other_client.user).read_at is None
