"""A clinician books an appointment for their own client in a real browser, in their own time
zone, and sees it in their list; a time that overlaps another is refused with a clear message
next to the field. Both pages pass axe-core's WCAG 2.2 AA checks."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from interlude.outreach.models import Appointment, Delivery
from tests import factories
from tests.appointment_support import book, signed_client
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_books_an_appointment(page):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera", time_zone="America/Los_Angeles")
    ana = signed_client(rivera, name="Ana Lopez")
    log_in(page, rivera.user)

    page.goto("/appointments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointments")
    page.get_by_role("link", name="New appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New appointment")
    assert_accessible(page)

    page.get_by_label("Client").select_option(label="Ana Lopez")
    page.get_by_label("Date").fill("2030-03-05")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Length").select_option("50")
    page.get_by_label("Kind").select_option("video")
    page.get_by_label("Address or video link (optional)").fill("https://video.example/r/1")
    page.get_by_role("button", name="Book the appointment").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Appointment booked with Ana Lopez on Tue 5 Mar 2030, 10:00.")
    row = page.get_by_role("row", name="Tue 5 Mar 2030, 10:00–10:50")
    expect(row).to_contain_text("Ana Lopez")
    expect(row).to_contain_text("Scheduled")
    assert_accessible(page)

    appointment = Appointment.objects.get()
    assert appointment.client == ana
    assert appointment.start == datetime(2030, 3, 5, 18, tzinfo=UTC)
    assert Delivery.objects.filter(kind="reminder", state="pending").count() == 4


def test_a_clinician_sees_a_clear_error_for_an_overlapping_time(page):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera", time_zone="America/Los_Angeles")
    ana = signed_client(rivera, name="Ana Lopez")
    signed_client(rivera, name="Ben Ortiz")
    book(ana, datetime(2030, 3, 5, 18, tzinfo=UTC))
    log_in(page, rivera.user)

    page.goto("/appointments/new/")
    page.get_by_label("Client").select_option(label="Ben Ortiz")
    page.get_by_label("Date").fill("2030-03-05")
    page.get_by_label("Start time").fill("10:30")
    page.get_by_role("button", name="Book the appointment").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    start = page.get_by_label("Start time")
    expect(start).to_have_value("10:30")
    expect(page.get_by_text("This overlaps your appointment with Ana Lopez")).to_be_visible()
    assert_accessible(page)
    assert Appointment.objects.count() == 1
    assert Appointment.objects.get().end - Appointment.objects.get().start == timedelta(
        minutes=50)
