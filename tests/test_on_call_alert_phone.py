"""A practice admin sets a clinician's alert phone (for urgent alert texts) on the practice
page, next to the on-call toggle: validated, kept in E.164 form, audited without the number.
Nobody else may set it."""

import pytest
from django.core.exceptions import PermissionDenied

from interlude.accounts import services
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def url(clinician):
    return f"/practice/clinicians/{clinician.pk}/on-call/"


def phone_events():
    return AuditEvent.objects.filter(action="set_alert_phone")


@pytest.fixture
def w():
    return factories.world()


def test_the_practice_page_shows_each_clinicians_alert_phone_form(client, w):
    w.clinician.alert_phone = "+12125550100"
    w.clinician.save()
    factories.verified_login(client, w.admin)
    body = client.get("/practice/").content.decode()
    assert f'id="id_phone{w.clinician.pk}_alert_phone"' in body
    assert f'id="id_phone{w.other_clinician.pk}_alert_phone"' in body
    assert 'value="+12125550100"' in body
    assert "never shown to clients" in body


def test_it_lets_the_admin_set_a_phone_kept_in_e164_form(client, w):
    factories.verified_login(client, w.admin)
    response = client.post(url(w.clinician), {"alert_phone": " +1 (212) 555-0100 "})
    assert response.status_code == 302
    w.clinician.refresh_from_db()
    assert w.clinician.alert_phone == "+12125550100"
    assert not w.clinician.on_call_eligible  # the phone form leaves the rota alone


def test_it_audits_that_a_number_was_set_but_not_the_number(client, w):
    factories.verified_login(client, w.admin)
    client.post(url(w.clinician), {"alert_phone": "+12125550100"})
    event = phone_events().get()
    assert (event.actor, event.object_type, event.object_id) == (
        w.admin, "Clinician", str(w.clinician.pk))
    assert event.detail == {"set": True}
    assert "555" not in str(event.detail)


def test_a_blank_phone_removes_it_and_is_audited(client, w):
    w.clinician.alert_phone = "+12125550100"
    w.clinician.save()
    factories.verified_login(client, w.admin)
    assert client.post(url(w.clinician), {"alert_phone": ""}).status_code == 302
    w.clinician.refresh_from_db()
    assert w.clinician.alert_phone == ""
    assert phone_events().get().detail == {"set": False}


@pytest.mark.parametrize("typed, error", [
    ("call me", "Enter a phone number with digits"),
    ("212 555 0100", "Start with + and the country code"),
])
def test_it_refuses_a_malformed_number_with_a_clear_error_and_keeps_the_rest(
        client, w, typed, error):
    w.clinician.alert_phone = "+12125550100"
    w.clinician.on_call_eligible = True
    w.clinician.save()
    w.other_clinician.alert_phone = "+13125550100"
    w.other_clinician.save()
    factories.verified_login(client, w.admin)
    response = client.post(url(w.clinician), {"alert_phone": typed})
    assert response.status_code == 400
    body = response.content.decode()
    assert error in body
    assert f'value="{typed}"' in body  # what was typed stays in the field to correct
    assert 'value="+13125550100"' in body  # the other clinician's form is untouched
    w.clinician.refresh_from_db()
    assert (w.clinician.alert_phone, w.clinician.on_call_eligible) == ("+12125550100", True)
    assert not phone_events().exists()


def test_the_on_call_toggle_leaves_the_phone_alone(client, w):
    w.clinician.alert_phone = "+12125550100"
    w.clinician.save()
    factories.verified_login(client, w.admin)
    assert client.post(url(w.clinician), {"on_call": "1"}).status_code == 302
    w.clinician.refresh_from_db()
    assert (w.clinician.on_call_eligible, w.clinician.alert_phone) == (True, "+12125550100")


@pytest.mark.parametrize("who", ["foreign_admin", "clinician", "client"])
def test_it_refuses_anyone_but_an_admin_of_the_practice(client, w, who):
    person = getattr(w, who)
    factories.verified_login(client, getattr(person, "user", person))
    # A clinician may not set even their own number: the rota is the admin's to run.
    response = client.post(url(w.clinician), {"alert_phone": "+12125550100"})
    assert response.status_code == 404
    w.clinician.refresh_from_db()
    assert w.clinician.alert_phone == ""
    assert not phone_events().exists()


def test_the_service_refuses_another_practices_admin(w):
    with pytest.raises(PermissionDenied):
        services.set_alert_phone(w.foreign_admin, w.clinician, "+12125550100")
    w.clinician.refresh_from_db()
    assert w.clinician.alert_phone == ""
    assert not phone_events().exists()
