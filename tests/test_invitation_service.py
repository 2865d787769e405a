"""`invite_client` creates the login and the client record in one go, or nothing at all."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from interlude.accounts import services
from interlude.accounts.models import Client, Invitation, User
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

GOOD = {"full_name": "Ana Torres", "email": "Ana.Torres@example.org",
        "time_zone": "America/Chicago", "country": "us", "region": "il", "language": "es",
        "phone": "+1 312 555 0100", "preferred_channels": ["in_app", "sms"]}


def counts():
    return (User.objects.count(), Client.objects.count(), Invitation.objects.count(),
            AuditEvent.objects.count())


@override_settings(SITE_URL="https://care.example.org")
def test_it_creates_the_client_and_emails_a_one_time_link():
    w = factories.world()
    client, token = services.invite_client(w.clinician.user, w.clinician, **GOOD)
    user = client.user
    assert user.email == "ana.torres@example.org"
    assert user.role == User.Role.CLIENT
    assert user.practice == w.practice
    assert user.preferred_language == "es"
    assert not user.has_usable_password()
    assert (client.clinician, client.country, client.region) == (w.clinician, "US", "IL")
    assert client.time_zone == "America/Chicago"
    assert client.preferred_channels == ["in_app", "sms"]
    assert Invitation.objects.find_valid(token).user == user
    assert client.invitation_sent is True

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana.torres@example.org"]
    assert f"https://care.example.org/invite/{token}/" in message.body
    assert w.clinician.display_name not in message.body + message.subject
    assert "Ana Torres" in message.body

    event = AuditEvent.objects.get(action="create", object_type="Client")
    assert event.actor == w.clinician.user
    assert event.client_id_ref == client.pk
    assert "Ana" not in str(event.detail)


def test_it_lets_a_practice_admin_invite_for_a_clinician():
    w = factories.world()
    client, _token = services.invite_client(w.admin, w.other_clinician, **GOOD)
    assert client.clinician == w.other_clinician


@pytest.mark.parametrize("who", ["other_clinician", "foreign_admin", "foreign_clinician",
                                 "client"])
def test_it_refuses_people_who_may_not_invite_for_this_clinician(who):
    w = factories.world()
    actor = getattr(w, who)
    actor = getattr(actor, "user", actor)
    before = counts()
    with pytest.raises(PermissionDenied):
        services.invite_client(actor, w.clinician, **GOOD)
    assert counts() == before
    assert mail.outbox == []


def test_it_refuses_an_email_already_in_use_and_writes_nothing():
    w = factories.world()
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.invite_client(w.clinician.user, w.clinician,
                               **{**GOOD, "email": w.other_client.user.email.upper()})
    assert "already has an account" in error.value.message_dict["email"][0]
    assert counts() == before
    assert mail.outbox == []


def test_it_reports_every_bad_field_at_once():
    w = factories.world()
    before = counts()
    bad = {**GOOD, "full_name": " ", "email": "not-an-email", "time_zone": "Mars/Olympus",
           "country": "USA", "language": "fr", "phone": "call me", "preferred_channels": ["fax"]}
    with pytest.raises(ValidationError) as error:
        services.invite_client(w.clinician.user, w.clinician, **bad)
    assert set(error.value.message_dict) == {"full_name", "email", "time_zone", "country",
                                             "language", "phone", "preferred_channels"}
    assert counts() == before


def test_it_refuses_an_unknown_state_and_text_messages_without_a_phone():
    w = factories.world()
    with pytest.raises(ValidationError) as error:
        services.invite_client(w.clinician.user, w.clinician,
                               **{**GOOD, "region": "ZZ", "phone": ""})
    assert set(error.value.message_dict) == {"region", "preferred_channels"}
    assert User.objects.filter(email="ana.torres@example.org").count() == 0


def test_it_leaves_nothing_behind_when_a_later_step_fails(monkeypatch):
    w = factories.world()
    before = counts()

    def broken_issue(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Invitation, "issue", broken_issue)
    with pytest.raises(RuntimeError):
        services.invite_client(w.clinician.user, w.clinician, **GOOD)
    assert counts() == before
    assert mail.outbox == []


def test_it_keeps_the_client_when_the_email_cannot_be_sent(monkeypatch):
    w = factories.world()

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_mail", refuse)
    client, token = services.invite_client(w.clinician.user, w.clinician, **GOOD)
    assert client.invitation_sent is False
    assert Invitation.objects.find_valid(token).user == client.user


def test_a_new_link_replaces_the_old_one():
    w = factories.world()
    client, old = services.invite_client(w.clinician.user, w.clinician, **GOOD)
    new = services.reissue_invitation(w.clinician.user, client)
    assert Invitation.objects.find_valid(old) is None
    assert Invitation.objects.find_valid(new).user == client.user
    assert len(mail.outbox) == 2
    with pytest.raises(PermissionDenied):
        services.reissue_invitation(w.foreign_admin, client)


def test_it_names_jurisdictions_plainly():
    assert services.jurisdiction_label("US", "NY") == "New York, United States"
    assert services.jurisdiction_label("ca", "on") == "Ontario, Canada"
    assert services.jurisdiction_label("ES", "") == "Spain"
    assert services.jurisdiction_label("XX", "YY") == "YY, XX"
