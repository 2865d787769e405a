"""A client confirms their appointment in a real browser: from their appointments page, and
from the signed link in a reminder email without logging in. The pages pass axe-core's WCAG
2.2 AA checks."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from interlude.audit.models import AuditEvent
from interlude.outreach import links
from interlude.outreach.models import Appointment
from tests import factories
from tests.appointment_support import book, signed_client
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = datetime(2030, 3, 5, 18, tzinfo=UTC)  # 13:00 in New York


@pytest.fixture
def appointment():
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera")
    ana = signed_client(rivera, name="Ana Lopez", time_zone="America/New_York")
    return book(ana, START, location="https://video.example/room/1")


def test_a_client_confirms_from_their_appointments_page(page, appointment):
    log_in(page, appointment.client.user)

    page.get_by_role("link", name="Appointments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointments")
    card = page.get_by_role("region", name="Tuesday 5 March at 13:00")
    expect(card).to_contain_text("With Dr. Rivera")
    expect(card).to_contain_text("https://video.example/room/1")
    assert_accessible(page)

    card.get_by_role("button", name="Confirm the appointment on Tuesday 5 March at 13:00").click()

    expect(page.get_by_role("status")).to_contain_text("Thank you. Your appointment is confirmed.")
    expect(page.get_by_role("region", name="Tuesday 5 March at 13:00")).to_contain_text(
        "Confirmed")
    assert_accessible(page)
    assert Appointment.objects.get().status == "confirmed"
    assert AuditEvent.objects.get(action="confirm").detail == {"via": "page"}


def test_a_client_confirms_through_the_signed_link_without_logging_in(page, appointment):
    page.goto(links.link_path(appointment, "confirm"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your appointment")
    expect(page.get_by_text("Tuesday 5 March at 13:00")).to_be_visible()
    assert_accessible(page)
    assert Appointment.objects.get().status == "scheduled"

    page.get_by_role("button", name="Yes, I will come").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment is confirmed")
    assert_accessible(page)
    assert Appointment.objects.get().status == "confirmed"
    assert AuditEvent.objects.get(action="confirm").detail == {"via": "email_link"}
