"""A clinician with no licence where the client lives sees a clear warning (telehealth across
borders) and must acknowledge it before offering an agreement; the acknowledgement is audited."""

import pytest

from interlude.agreements.models import ConnectionAgreement
from interlude.audit.models import AuditEvent
from tests import factories as f
from tests.test_agreement_editor_presets import form_with

pytestmark = pytest.mark.django_db

WARNING = "Telehealth across borders"


def out_of_state(w):
    """The clinician is licensed in California only; their client lives in New York."""
    w.clinician.licenses.all().delete()
    w.clinician.licenses.create(country="US", region="CA")
    return w


def url(client_):
    return f"/clients/{client_.pk}/agreements/new/"


def test_it_warns_on_the_editor_and_the_clients_page(client):
    w = out_of_state(f.world())
    f.verified_login(client, w.clinician.user)

    editor = client.get(url(w.client), {"preset": "cbt"})
    detail = client.get(f"/clients/{w.client.pk}/")

    assert WARNING in editor.content.decode()
    assert "New York, United States" in editor.content.decode()
    assert 'name="acknowledge_jurisdiction"' in editor.content.decode()
    assert WARNING in detail.content.decode()


def test_it_blocks_until_acknowledged_and_keeps_the_input(client):
    w = out_of_state(f.world())
    f.verified_login(client, w.clinician.user)
    data = form_with(client.get(url(w.client), {"preset": "cbt"}), "preset")
    data["checkin_weekly_cap"] = "2"
    data["notes"] = "Client moves back in June."

    response = client.post(url(w.client), data)

    assert response.status_code == 200
    assert response.context["form"].errors["acknowledge_jurisdiction"] == [
        "Tick the acknowledgement to offer this agreement across borders."]
    kept = form_with(response, "preset")
    assert kept["checkin_weekly_cap"] == "2"
    assert kept["notes"] == "Client moves back in June."
    assert not ConnectionAgreement.objects.exists()
    assert not AuditEvent.objects.filter(action="jurisdiction_acknowledged").exists()


def test_it_saves_and_audits_the_acknowledgement(client):
    w = out_of_state(f.world())
    f.verified_login(client, w.clinician.user)
    data = form_with(client.get(url(w.client), {"preset": "cbt"}), "preset")
    data["acknowledge_jurisdiction"] = "on"

    response = client.post(url(w.client), data)

    assert response.status_code == 302
    agreement = ConnectionAgreement.objects.get(client=w.client)
    assert agreement.jurisdiction_acknowledged_at is not None
    event = AuditEvent.objects.get(action="jurisdiction_acknowledged")
    assert event.actor == w.clinician.user
    assert event.object_id == str(agreement.pk)
    assert event.client_id_ref == w.client.pk
    assert event.detail["jurisdiction"] == "US-NY"


def test_it_neither_warns_nor_asks_when_a_licence_covers_the_client(client):
    w = f.world()  # licensed in the whole of the US
    f.verified_login(client, w.clinician.user)

    editor = client.get(url(w.client), {"preset": "cbt"})
    response = client.post(url(w.client), form_with(editor, "preset"))

    assert WARNING not in editor.content.decode()
    assert "acknowledge_jurisdiction" not in editor.content.decode()
    assert response.status_code == 302
    agreement = ConnectionAgreement.objects.get(client=w.client)
    assert agreement.jurisdiction_acknowledged_at is None
    assert not AuditEvent.objects.filter(action="jurisdiction_acknowledged").exists()


def test_a_licence_recorded_on_the_licences_page_lifts_the_warning(client):
    w = out_of_state(f.world())
    f.verified_login(client, w.clinician.user)

    response = client.post("/licenses/", {"country": "US", "region": "NY", "number": "NY-123"})

    assert response.status_code == 302
    assert w.clinician.licenses.filter(country="US", region="NY", number="NY-123").exists()
    assert AuditEvent.objects.filter(action="create", object_type="License",
                                     actor=w.clinician.user).exists()
    editor = client.get(url(w.client), {"preset": "cbt"})
    assert WARNING not in editor.content.decode()


def test_a_clinician_removes_their_own_licence_and_the_warning_returns(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)
    mine = w.clinician.licenses.get()

    response = client.post(f"/licenses/{mine.pk}/delete/")

    assert response.status_code == 302
    assert not w.clinician.licenses.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="License",
                                     actor=w.clinician.user).exists()
    assert WARNING in client.get(url(w.client), {"preset": "cbt"}).content.decode()


def test_a_licence_with_a_bad_region_is_refused_and_nothing_is_recorded(client):
    w = out_of_state(f.world())
    f.verified_login(client, w.clinician.user)

    response = client.post("/licenses/", {"country": "US", "region": "ZZ"})

    assert response.status_code == 200
    assert not w.clinician.licenses.filter(region="ZZ").exists()
    assert WARNING in client.get(url(w.client), {"preset": "cbt"}).content.decode()


@pytest.mark.parametrize("who", ["admin", "client"])
def test_the_licences_page_is_only_for_clinicians(client, who):
    w = f.world()
    user = getattr(w, who)
    user = getattr(user, "user", user)
    if user.is_practice_staff:
        f.verified_login(client, user)
    else:
        client.force_login(user)

    assert client.get("/licenses/").status_code == 404


def test_it_refuses_to_remove_another_clinicians_licence(client):
    w = f.world()
    theirs = w.other_clinician.licenses.get()
    f.verified_login(client, w.clinician.user)

    response = client.post(f"/licenses/{theirs.pk}/delete/")

    assert response.status_code == 404
    assert w.other_clinician.licenses.filter(pk=theirs.pk).exists()
