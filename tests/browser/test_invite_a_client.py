"""A clinician invites a client from the caseload and is shown the one-time link; the client
opens it in their own browser, chooses a password and lands on their home page. An expired
link shows a page that says so plainly. The pages pass axe-core's WCAG 2.2 AA checks."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interlude.accounts.models import Client, Invitation
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a long walk by the quiet harbour"


def fill_invitation(page):
    page.get_by_label("Full name").fill("Ana Flores")
    page.get_by_role("textbox", name="Email").fill("ana.flores@example.org")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_label("Country").select_option("US")
    page.get_by_label("State or province (optional)").fill("tx")
    page.get_by_label("Language").select_option("en")


def test_a_clinician_invites_a_client_who_sets_a_password_and_arrives_home(page, live_server):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera")
    log_in(page, rivera.user)

    page.goto("/clients/")
    page.get_by_role("link", name="Invite a client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a client")
    assert_accessible(page)

    fill_invitation(page)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("heading", name="Ana Flores is invited")).to_be_visible()
    link = page.get_by_label("One-time link").input_value()
    assert "/invite/" in link
    assert_accessible(page)

    client = Client.objects.select_related("user").get(user__email="ana.flores@example.org")
    assert (client.clinician, client.practice) == (rivera, home)
    assert (client.display_name, client.time_zone) == ("Ana Flores", "America/Chicago")
    assert (client.country, client.region, client.user.preferred_language) == ("US", "TX", "en")
    assert not client.user.has_usable_password()
    invitation = Invitation.objects.get(user=client.user)
    assert invitation.used_at is None and invitation.created_by == rivera.user

    # The client opens the link in their own browser, not the clinician's session.
    context = page.context.browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    try:
        guest = context.new_page()
        guest.goto(urlparse(link).path)
        expect(guest.get_by_role("heading", level=1)).to_have_text("Choose your password")
        expect(guest.get_by_text("ana.flores@example.org")).to_be_visible()
        assert_accessible(guest)

        guest.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        guest.get_by_label("New password confirmation").fill(NEW_PASSWORD)
        guest.get_by_role("button", name="Save password and log in").click()
        guest.wait_for_url("**/me/")
        expect(guest.get_by_role("heading", level=1)).to_have_text("Hello, Ana Flores")
        expect(guest.get_by_text("Your therapist is Dr. Rivera.")).to_be_visible()
        assert_accessible(guest)
    finally:
        context.close()

    invitation.refresh_from_db()
    client.user.refresh_from_db()
    assert invitation.used_at is not None
    assert client.user.has_usable_password()
    assert client.user.check_password(NEW_PASSWORD)


def test_an_expired_invitation_link_says_it_no_longer_works(page):
    w = factories.world()
    user = w.client.user
    user.set_unusable_password()
    user.save()
    invitation, token = Invitation.issue(user, created_by=w.clinician.user)
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save(update_fields=["expires_at"])

    response = page.goto(f"/invite/{token}/")
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    expect(page.get_by_text("This one has expired or has already been used.")).to_be_visible()
    expect(page.get_by_label("New password", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert_accessible(page)

    invitation.refresh_from_db()
    user.refresh_from_db()
    assert invitation.used_at is None
    assert not user.has_usable_password()
