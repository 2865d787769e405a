"""A clinician edits their Monday hours and adds time off in a real browser, and sees both
saved; the page passes axe-core's WCAG 2.2 AA checks."""

from datetime import time

import pytest
from playwright.sync_api import expect

from interlude.agreements.models import OfficeHours, TimeOff
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_edits_monday_hours_and_adds_time_off(page):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera", time_zone="America/New_York")
    factories.weekday_hours(rivera)
    log_in(page, rivera.user)

    page.goto("/hours/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hours and time off")
    expect(page.get_by_text("America/New_York").first).to_be_visible()
    assert_accessible(page)

    monday = page.get_by_role("group", name="Monday")
    monday.get_by_label("From", exact=True).fill("10:00")
    monday.get_by_label("Until", exact=True).fill("13:00")
    monday.get_by_label("Second window from").fill("14:00")
    monday.get_by_label("Second window until").fill("18:30")
    page.get_by_role("button", name="Save office hours").click()
    expect(page.get_by_role("status")).to_contain_text("Your office hours are saved.")
    monday = page.get_by_role("group", name="Monday")
    expect(monday.get_by_label("From", exact=True)).to_have_value("10:00")
    expect(monday.get_by_label("Second window until")).to_have_value("18:30")

    page.get_by_label("Starts").fill("2030-12-23T09:00")
    page.get_by_label("Ends").fill("2031-01-02T09:00")
    page.get_by_label("Kind").select_option("vacation")
    page.get_by_label("Label (optional)").fill("Winter break")
    page.get_by_role("button", name="Add time off").click()
    expect(page.get_by_role("status")).to_contain_text("Time off added.")
    row = page.get_by_role("row", name="Winter break")
    expect(row).to_contain_text("Mon 23 Dec 2030, 09:00")
    expect(row).to_contain_text("Thu 2 Jan 2031, 09:00")
    assert_accessible(page)

    mondays = OfficeHours.objects.filter(clinician=rivera, weekday=0).order_by("start")
    assert [(h.start, h.end) for h in mondays] == [(time(10), time(13)),
                                                   (time(14), time(18, 30))]
    assert OfficeHours.objects.filter(clinician=rivera, weekday=1).count() == 1
    off = TimeOff.objects.get(clinician=rivera)
    assert off.label == "Winter break"
    assert off.starts_at.isoformat() == "2030-12-23T14:00:00+00:00"


def test_a_clinician_sees_a_clear_error_for_hours_that_end_before_they_start(page):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera")
    factories.weekday_hours(rivera)
    log_in(page, rivera.user)

    page.goto("/hours/")
    monday = page.get_by_role("group", name="Monday")
    monday.get_by_label("Until", exact=True).fill("08:00")
    page.get_by_role("button", name="Save office hours").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    until = page.get_by_role("group", name="Monday").get_by_label("Until", exact=True)
    expect(until).to_have_value("08:00")
    expect(until).to_have_accessible_description(
        "Monday: the window must end after it starts (09:00), on the same day.")
    assert_accessible(page)
    assert OfficeHours.objects.get(clinician=rivera, weekday=0).end == time(17)
