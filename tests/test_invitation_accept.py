"""An invited person sets a password through a one-time link that expires."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from interlude import settings as production_settings
from interlude.accounts.models import Invitation, User
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual sentence"


@pytest.fixture
def invited():
    w = factories.world()
    user = User.objects.create_user("new.client@example.org", None, full_name="New Client",
                                    practice=w.practice, role=User.Role.CLIENT)
    invitation, token = Invitation.issue(user, created_by=w.clinician.user)
    return user, invitation, token


def accept(client, token, password=NEW_PASSWORD, again=None):
    return client.post(f"/invite/{token}/", {"new_password1": password,
                                              "new_password2": again or password})


# The suite hashes with MD5 for speed; this test checks the hasher production uses.
@override_settings(PASSWORD_HASHERS=production_settings.PASSWORD_HASHERS)
def test_it_sets_the_password_and_logs_the_person_in(client, invited):
    user, invitation, token = invited
    page = client.get(f"/invite/{token}/")
    assert page.status_code == 200
    assert "Choose your password" in page.content.decode()
    assert "new.client@example.org" in page.content.decode()

    response = accept(client, token)
    assert response.status_code == 302
    assert response["Location"] == "/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.password.startswith("argon2")
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    event = AuditEvent.objects.get(action="invitation_accepted")
    assert event.actor == user
    assert event.object_id == str(invitation.pk)
    assert NEW_PASSWORD not in str(event.detail)


def test_it_refuses_the_link_a_second_time(client, invited):
    user, invitation, token = invited
    accept(client, token)
    client.post("/logout/")
    again = accept(client, token, password="another long sentence")
    assert again.status_code == 410
    assert "This link no longer works" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="invitation_accepted").count() == 1


def test_it_refuses_an_expired_link(client, invited):
    user, invitation, token = invited
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    assert client.get(f"/invite/{token}/").status_code == 410
    response = accept(client, token)
    assert response.status_code == 410
    user.refresh_from_db()
    assert not user.has_usable_password()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_it_refuses_a_made_up_link(client, invited):
    assert client.get("/invite/not-a-real-token/").status_code == 410


def test_it_keeps_the_link_when_the_password_is_too_weak(client, invited):
    user, invitation, token = invited
    response = accept(client, token, password="password")
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    mismatch = accept(client, token, again="a different long sentence")
    assert mismatch.status_code == 200
    invitation.refresh_from_db()
    assert invitation.used_at is None
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert "_auth_user_id" not in client.session


def test_it_speaks_the_language_chosen_for_the_invitee(client, invited):
    user, invitation, token = invited
    user.preferred_language = "es"
    user.save()
    page = client.get(f"/invite/{token}/")
    assert page.status_code == 200
    assert 'lang="es"' in page.content.decode()
    # Django's own Spanish catalogue labels the password fields.
    assert "Contraseña nueva" in page.content.decode()


def test_it_sends_invited_staff_on_to_set_up_two_factor(client):
    w = factories.world()
    user = User.objects.create_user("new.clinician@example.org", None, full_name="New Clinician",
                                    practice=w.practice, role=User.Role.CLINICIAN)
    _invitation, token = Invitation.issue(user, created_by=w.admin)
    response = accept(client, token)
    assert response["Location"] == "/account/two-factor/"
    assert client.get("/clients/")["Location"] == "/login/verify/"
