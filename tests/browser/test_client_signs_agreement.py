"""A client opens their agreement from the home page, reads it, ticks the box and signs it, in
a real browser; the pages pass axe-core's WCAG 2.2 AA checks, in English and in Spanish."""

import re

import pytest
from playwright.sync_api import expect

from interlude.agreements.models import AgreementSignature
from interlude.agreements.presets import preset_fields
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def client_with_agreement(language="en"):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera", licensed=(("US", ""), ("ES", "")))
    factories.weekday_hours(rivera)
    if language == "es":
        ana = factories.client(rivera, name="Ana", time_zone="Europe/Madrid", country="ES",
                               region="", language="es")
    else:
        ana = factories.client(rivera, name="Ana")
    factories.agreement(ana, preset="dbt", **preset_fields("dbt"))
    return ana


def test_a_client_reads_and_signs_their_agreement(page):
    ana = client_with_agreement()
    log_in(page, ana.user)
    page.goto("/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ana")
    assert_accessible(page)

    page.get_by_role("link", name="Read and sign your agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your agreement")
    expect(page.get_by_role("heading", name="In a crisis")).to_be_visible()
    expect(page.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    assert_accessible(page)

    page.get_by_label("I have read this agreement and I agree to it").check()
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you. You signed your agreement.")
    expect(page.get_by_text(re.compile("You signed this agreement on"))).to_be_visible()
    expect(page.get_by_role("button", name="Sign the agreement")).to_have_count(0)
    assert_accessible(page)

    signature = AgreementSignature.objects.get()
    assert signature.signed_by == ana.user
    assert signature.version == 1
    assert signature.ip_address == "127.0.0.1"
    assert "Chrome" in signature.user_agent

    page.goto("/me/")
    expect(page.get_by_role("heading", name="When will my message be read?")).to_be_visible()
    assert_accessible(page)


def test_a_client_cannot_sign_without_ticking_the_box(page):
    ana = client_with_agreement()
    log_in(page, ana.user)
    page.goto("/me/agreement/")
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_text("Please tick the box")).to_be_visible()
    assert_accessible(page)
    assert not AgreementSignature.objects.exists()


def test_a_spanish_speaking_client_reads_and_signs_in_spanish(page):
    ana = client_with_agreement("es")
    log_in(page, ana.user)
    page.goto("/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Ana")
    assert_accessible(page)

    page.get_by_role("link", name="Lee y firma tu acuerdo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tu acuerdo")
    expect(page.get_by_role("heading", name="En una crisis")).to_be_visible()
    expect(page.get_by_role("link", name="Llama al 112")).to_have_attribute("href", "tel:112")
    assert_accessible(page)

    page.get_by_label("He leído este acuerdo y estoy de acuerdo").check()
    page.get_by_role("button", name="Firmar el acuerdo").click()
    expect(page.get_by_role("status")).to_contain_text("Gracias. Has firmado tu acuerdo.")
    assert AgreementSignature.objects.get().version == 1
