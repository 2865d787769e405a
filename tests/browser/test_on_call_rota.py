"""A practice admin adds a shift to the on-call rota in a real browser and sees it listed; a
clinician sees the rota without the controls; the page passes axe-core's WCAG 2.2 AA checks."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interlude.agreements.models import AgreementSignature
from interlude.crisis.models import OnCallShift
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_adds_a_shift_and_sees_it_on_the_rota(page):
    home = factories.practice("Harbor Counseling", time_zone="America/New_York")
    rivera = factories.clinician(home, name="Dr. Rivera", on_call_eligible=True)
    person = factories.client(rivera)
    agreement = factories.agreement(person, crisis_route="on_call")
    AgreementSignature.objects.create(agreement=agreement, signed_by=person.user, version=1)
    admin = factories.admin(home)

    log_in(page, admin)
    page.goto("/on-call/")
    expect(page.get_by_role("heading", level=1)).to_have_text("On-call rota")
    expect(page.get_by_role("alert")).to_contain_text("Nobody is on call now.")
    assert_accessible(page)

    zone = ZoneInfo("America/New_York")
    starts = timezone.now().astimezone(zone).replace(second=0, microsecond=0)
    ends = starts + timedelta(days=2)
    page.get_by_label("Clinician").select_option(label="Dr. Rivera")
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill(ends.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Position").fill("1")
    page.get_by_role("button", name="Add the shift").click()
    expect(page.get_by_role("status")).to_contain_text("Shift added to the rota.")
    expect(page.get_by_role("button", name="Remove the shift of Dr. Rivera", exact=False)
           ).to_be_visible()
    assert_accessible(page)

    shift = OnCallShift.objects.get()
    assert (shift.clinician, shift.position, shift.starts_at, shift.ends_at) == (
        rivera, 1, starts, ends)

    page.get_by_label("Starts").fill(ends.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Clinician").select_option(label="Dr. Rivera")
    page.get_by_role("button", name="Add the shift").click()
    expect(page.get_by_text("A shift must end after it starts.")).to_be_visible()
    assert_accessible(page)
    assert OnCallShift.objects.count() == 1
