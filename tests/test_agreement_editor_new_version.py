"""Changing an agreement offers a new version: the old one stays on record and the client must
sign again before the channels reopen."""

import pytest

from interlude.agreements import availability, services
from interlude.agreements.models import AgreementSignature, ConnectionAgreement
from interlude.audit.models import AuditEvent
from tests import factories as f
from tests.test_agreement_editor_presets import form_with

pytestmark = pytest.mark.django_db


def signed_first_version(client_):
    agreement = f.agreement(client_, version=1, checkins_open=True, checkin_weekly_cap=1,
                            notes="Agreed in session 3.")
    AgreementSignature.objects.create(agreement=agreement, signed_by=client_.user, version=1)
    return agreement


def test_it_prefills_a_new_version_from_the_current_one(client):
    w = f.world()
    signed_first_version(w.client)
    f.verified_login(client, w.clinician.user)

    page = client.get(f"/clients/{w.client.pk}/agreements/new/")

    assert page.status_code == 200
    data = form_with(page, "preset")
    assert data["checkin_weekly_cap"] == "1"
    assert data["notes"] == "Agreed in session 3."
    assert "Prefilled from version 1" in page.content.decode()
    # Reading the current version's notes is a read of clinical data.
    assert AuditEvent.objects.filter(actor=w.clinician.user, action="view",
                                     object_type="ConnectionAgreement").count() == 1


def test_it_offers_version_2_and_the_client_must_sign_again(client):
    w = f.world()
    first = signed_first_version(w.client)
    f.weekday_hours(w.clinician)
    f.verified_login(client, w.clinician.user)
    data = form_with(client.get(f"/clients/{w.client.pk}/agreements/new/"), "preset")
    data["checkin_weekly_cap"] = "2"

    response = client.post(f"/clients/{w.client.pk}/agreements/new/", data, follow=True)

    assert response.status_code == 200
    assert (f"Version 2 offered; channels stay closed until {w.client.display_name} signs it."
            in response.content.decode())
    versions = list(ConnectionAgreement.objects.filter(client=w.client).order_by("version"))
    assert [a.version for a in versions] == [1, 2]
    assert versions[0].pk == first.pk and versions[0].checkin_weekly_cap == 1
    assert versions[1].checkin_weekly_cap == 2
    current = services.current_agreement(w.client)
    assert current.version == 2 and not services.is_signed(current)
    assert availability.check(w.client, "inbox").reason == "not_signed"
    assert AuditEvent.objects.filter(action="create", object_type="ConnectionAgreement",
                                     object_id=str(current.pk),
                                     actor=w.clinician.user).exists()


def test_it_keeps_all_input_and_saves_nothing_when_a_field_is_invalid(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)
    data = form_with(client.get(f"/clients/{w.client.pk}/agreements/new/",
                                {"preset": "dbt"}), "preset")
    data["inbox_promise"] = ""
    data["checkin_weekly_cap"] = "5"
    data["crisis2_0_end"] = "07:00"  # before its 08:00 start
    data["notes"] = "Discussed coaching limits."

    response = client.post(f"/clients/{w.client.pk}/agreements/new/", data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was saved" in content
    assert "Wednesday: the window must end after it starts" in content
    kept = form_with(response, "preset")
    assert kept["checkin_weekly_cap"] == "5"
    assert kept["crisis2_0_end"] == "07:00"
    assert kept["notes"] == "Discussed coaching limits."
    assert not ConnectionAgreement.objects.filter(client=w.client).exists()


def test_it_reports_the_rules_of_the_services_next_to_their_fields(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)
    data = form_with(client.get(f"/clients/{w.client.pk}/agreements/new/",
                                {"preset": "cbt"}), "preset")
    data["inbox_promise"] = "   "
    data["crisis_route"] = "clinician"  # with no crisis hours set

    response = client.post(f"/clients/{w.client.pk}/agreements/new/", data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["inbox_promise"] == [
        "Say what the client can expect when the inbox is open."]
    assert form.errors["crisis_route"] == ["Set the hours in which crisis contact reaches you."]
    assert 'aria-describedby="id_inbox_promise_helptext id_inbox_promise_error"' in (
        response.content.decode())
    assert not ConnectionAgreement.objects.filter(client=w.client).exists()
