"""A client makes a private calendar link, sees it once, makes a new one, and the old one
stops working."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interlude.outreach.models import Appointment, CalendarFeed
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_client_makes_and_replaces_their_calendar_link(page, live_server, settings):
    settings.SITE_URL = live_server.url
    w = factories.world()
    factories.agreement(w.client)
    start = timezone.now() + timedelta(days=3)
    Appointment.objects.create(practice=w.practice, clinician=w.clinician, client=w.client,
                               start=start, end=start + timedelta(minutes=50))
    log_in(page, w.client.user)

    page.goto("/calendar/")
    assert page.get_by_role("heading", name="Your calendar link", level=1).is_visible()
    assert page.get_by_text("You have no calendar link.").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Make a calendar link").click()
    page.wait_for_load_state()
    first = page.get_by_role("textbox", name="Calendar link").input_value()
    assert first.startswith(f"{live_server.url}/calendar/") and first.endswith(".ics")
    assert_accessible(page)
    feed = page.request.get(first)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.text().count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Video session with Dr. " in feed.text()

    page.get_by_role("button", name="Make a new link").click()
    page.wait_for_load_state()
    second = page.get_by_role("textbox", name="Calendar link").input_value()

    assert second != first
    assert page.request.get(first).status == 404
    assert page.request.get(second).status == 200
    assert CalendarFeed.objects.filter(user=w.client.user, revoked_at__isnull=True).count() == 1

    page.get_by_role("button", name="Turn off").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your calendar link is turned off").is_visible()
    assert page.request.get(second).status == 404
    assert not CalendarFeed.objects.filter(user=w.client.user, revoked_at__isnull=True).exists()
    assert_accessible(page)
