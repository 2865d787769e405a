"""A clinician invites a client to their own caseload; an admin chooses the clinician in their
practice. The one-time link is shown once and emailed."""

import pytest
from django.core import mail

from interlude.accounts.models import Client, Invitation
from interlude.audit.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def invite_data(**changes):
    data = {"full_name": "Jordan Reyes", "email": "jordan@example.org",
            "time_zone": "America/Chicago", "country": "US", "region": "IL", "language": "es",
            "phone": "", "preferred_channels": ["in_app", "email"]}
    data.update(changes)
    return data


def test_it_invites_a_client_to_the_clinicians_own_caseload(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)

    response = client.post("/clients/invite/", invite_data())

    assert response.status_code == 200
    new = Client.objects.get(user__email="jordan@example.org")
    assert new.clinician == w.clinician
    assert new.practice == w.practice
    assert (new.time_zone, new.country, new.region) == ("America/Chicago", "US", "IL")
    assert new.user.preferred_language == "es"
    link = response.context["invited"]["link"]
    assert "/invite/" in link
    assert link in response.content.decode()
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    assert Invitation.objects.filter(user=new.user, used_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(actor=w.clinician.user, action="create",
                                     object_type="Client", object_id=str(new.pk)).exists()
    assert "no-store" in response["Cache-Control"]


def test_it_offers_no_choice_of_clinician_to_a_clinician(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)

    response = client.post("/clients/invite/", invite_data(clinician=w.other_clinician.pk))

    assert 'name="clinician"' not in client.get("/clients/invite/").content.decode()
    assert response.status_code == 200
    assert Client.objects.get(user__email="jordan@example.org").clinician == w.clinician


def test_it_lets_the_admin_choose_a_clinician_of_the_practice(client):
    w = f.world()
    f.verified_login(client, w.admin)

    response = client.post("/clients/invite/", invite_data(clinician=w.other_clinician.pk))

    assert response.status_code == 200
    assert Client.objects.get(user__email="jordan@example.org").clinician == w.other_clinician


def test_it_refuses_the_admin_a_clinician_of_another_practice(client):
    w = f.world()
    f.verified_login(client, w.admin)

    response = client.post("/clients/invite/", invite_data(clinician=w.foreign_clinician.pk))

    assert response.status_code == 200
    assert "clinician" in response.context["form"].errors
    assert not Client.objects.filter(user__email="jordan@example.org").exists()
    assert mail.outbox == []


def test_it_shows_errors_and_keeps_the_input(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)

    response = client.post("/clients/invite/", invite_data(
        email=w.other_client.user.email, region="ZZ"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["email"] == ["Someone with this email address already has an account."]
    assert "region" in errors
    assert 'value="Jordan Reyes"' in response.content.decode()
    assert Client.objects.count() == 3
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["client", "anonymous"])
def test_it_refuses_clients_and_strangers(client, who):
    w = f.world()
    if who == "client":
        client.force_login(w.client.user)

    response = client.post("/clients/invite/", invite_data())

    assert response.status_code == (404 if who == "client" else 302)
    assert not Client.objects.filter(user__email="jordan@example.org").exists()
