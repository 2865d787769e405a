"""A clinician creates a weekly schedule for a client in a real browser, sees its next messages
in both zones, and pauses it; the page passes axe-core's WCAG 2.2 AA checks."""

import pytest
from playwright.sync_api import expect

from interlude.agreements.models import AgreementSignature
from interlude.outreach.models import Delivery, Schedule
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_creates_a_weekly_schedule_and_pauses_it(page):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera", time_zone="America/Los_Angeles")
    sam = factories.client(rivera, name="Sam Lee", time_zone="America/New_York")
    agreement = factories.agreement(sam, automated_open=True)
    AgreementSignature.objects.create(agreement=agreement, signed_by=sam.user, version=1)
    log_in(page, rivera.user)

    page.goto(f"/clients/{sam.pk}/schedules/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedules for Sam Lee")
    assert_accessible(page)

    page.get_by_label("Name").fill("Monday check-in")
    page.get_by_label("Send by").select_option("in_app")
    page.get_by_role("textbox", name="Message").fill("How did this week's practice go?")
    page.get_by_label("On a repeating schedule").check()
    page.get_by_label("Repeats").select_option("weekly")
    page.get_by_role("group", name="On these days (for a weekly schedule)").get_by_label(
        "Monday").check()
    page.get_by_label("Time of day, in the client's time zone").fill("09:00")
    page.get_by_label("Starting on").fill("2030-01-07")
    page.get_by_role("button", name="Save schedule").click()

    expect(page.get_by_role("status")).to_contain_text("Schedule saved")
    row = page.get_by_role("row", name="Monday check-in")
    expect(row).to_contain_text("every Monday at 9:00")
    # 9:00 in New York is 6:00 in Los Angeles.
    expect(row).to_contain_text("Mon 7 Jan 2030, 09:00")
    expect(row).to_contain_text("Mon 7 Jan 2030, 06:00")
    expect(row).to_contain_text("Mon 21 Jan 2030, 09:00")
    assert_accessible(page)

    schedule = Schedule.objects.get(client=sam)
    assert schedule.rrule == "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0"
    assert schedule.status == "active"

    row.get_by_role("button", name="Pause Monday check-in").click()
    expect(page.get_by_role("status")).to_contain_text("is paused")
    expect(page.get_by_role("row", name="Monday check-in")).to_contain_text("Paused")
    assert_accessible(page)

    schedule.refresh_from_db()
    assert schedule.status == "paused"
    assert not Delivery.objects.filter(ref_type="schedule", ref_id=str(schedule.pk),
                                       state="pending").exists()
