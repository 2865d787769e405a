"""The agreement page shows the current version in plain words, with the client's local crisis
lines as links a phone can dial, the sign form while unsigned, and every reading audited."""

import pytest
from django.urls import reverse

from interlude.agreements.models import AgreementSignature
from interlude.agreements.presets import preset_fields
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rivera():
    home = factories.practice("Harbor Counseling")
    clinician = factories.clinician(home, name="Dr. Rivera", licensed=(("US", ""), ("GB", "")))
    factories.weekday_hours(clinician)
    return clinician


def page_for(client, user):
    factories.verified_login(client, user)
    response = client.get(reverse("client_agreement"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_current_version_in_plain_words_with_a_sign_form(client, rivera):
    sam = factories.client(rivera, name="Sam", time_zone="America/New_York")
    factories.agreement(sam, version=1, inbox_promise="Old promise.")
    factories.agreement(sam, version=2, preset="dbt", **preset_fields("dbt"))
    page = page_for(client, sam.user)
    assert "Version 2, from" in page
    for heading in ("What to use for what", "When to expect an answer", "Brief check-ins",
                    "Coaching calls", "In a crisis"):
        assert f"{heading}</h2>" in page
    assert "Old promise." not in page
    assert "(that is 12:00-20:00 your time)" in page
    assert 'name="version" value="2"' in page
    assert '<label for="agree">' in page
    assert "I have read this agreement and I agree to it" in page
    assert ">Sign the agreement</button>" in page
    event = AuditEvent.objects.get(action="view")
    assert event.detail == {"version": 2}
    assert event.client_id_ref == sam.pk


def test_it_links_the_local_crisis_lines_for_calling_and_texting(client, rivera):
    sam = factories.client(rivera, name="Sam")
    factories.agreement(sam)
    page = page_for(client, sam.user)
    assert '<a href="tel:988">Call 988</a>' in page
    assert '<a href="sms:988">Text 988</a>' in page
    assert '<a href="tel:911">Call 911</a>' in page
    assert "tel:116123" not in page


def test_it_gives_a_client_in_england_the_samaritans(client, rivera):
    jo = factories.client(rivera, name="Jo", time_zone="Europe/London", country="GB", region="")
    factories.agreement(jo)
    page = page_for(client, jo.user)
    assert "Samaritans" in page
    assert "Call 116 123 (free)" in page
    assert '<a href="tel:116123">' in page
    assert '<a href="tel:999">' in page
    assert "tel:988" not in page


def test_it_hides_the_sign_form_once_signed_and_shows_the_date(client, rivera):
    sam = factories.client(rivera, name="Sam")
    agreement = factories.agreement(sam)
    AgreementSignature.objects.create(agreement=agreement, signed_by=sam.user, version=1)
    page = page_for(client, sam.user)
    assert "You signed this agreement on" in page
    assert 'name="agree"' not in page


def test_it_records_every_reading_in_the_audit_trail(client, rivera):
    sam = factories.client(rivera, name="Sam")
    agreement = factories.agreement(sam)
    page_for(client, sam.user)
    page_for(client, sam.user)
    events = AuditEvent.objects.filter(action="view", object_type="ConnectionAgreement")
    assert events.count() == 2
    assert {e.object_id for e in events} == {str(agreement.pk)}


def test_it_says_plainly_when_there_is_no_agreement_yet(client, rivera):
    sam = factories.client(rivera, name="Sam")
    page = page_for(client, sam.user)
    assert "Your therapist has not shared an agreement with you yet." in page
    assert 'name="agree"' not in page
    assert not AuditEvent.objects.filter(action="view").exists()
