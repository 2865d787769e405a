"""The client list (a page at a time, in a fixed number of queries), one client's record (an
audited read) and inviting a client."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interlude.accounts.models import Client, Invitation
from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent

from .api_support import counts, fast_passwords, field_errors, session_api  # noqa: F401
from .factories import agreement, client, world

pytestmark = pytest.mark.django_db


def sign(a):
    return AgreementSignature.objects.create(agreement=a, signed_by=a.client.user,
                                             version=a.version)


def test_it_lists_each_clients_current_version_and_whether_it_is_signed():
    w = world()
    unsigned = client(w.clinician, name="Avery Unsigned")
    signed = client(w.clinician, name="Blake Signed")
    agreement(unsigned, version=1)
    sign(agreement(signed, version=1))
    sign(agreement(w.client, version=1))
    agreement(w.client, version=2)  # the newer version is not signed yet
    response = session_api(w.clinician.user).get("/clients")
    assert response.status_code == 200
    body = response.json()
    rows = {item["id"]: item for item in body["items"]}
    assert rows[unsigned.pk]["agreement"] == {"version": 1, "status": "awaiting_signature"}
    assert rows[signed.pk]["agreement"] == {"version": 1, "status": "signed"}
    assert rows[w.client.pk]["agreement"] == {"version": 2, "status": "awaiting_signature"}
    assert body["count"] == 3
    assert [item["display_name"] for item in body["items"]][:2] == ["Avery Unsigned",
                                                                    "Blake Signed"]
    assert rows[signed.pk]["clinician"] == {"id": w.clinician.pk,
                                            "display_name": w.clinician.display_name}


def test_it_shows_no_agreement_as_none():
    w = world()
    item = session_api(w.clinician.user).get("/clients").json()["items"][0]
    assert item["agreement"] == {"version": None, "status": "none"}


def test_it_pages_the_list():
    w = world()
    for n in range(4):
        client(w.clinician, name=f"Page Client {n}")
    api = session_api(w.clinician.user)
    first = api.get("/clients?page=1&page_size=2").json()
    third = api.get("/clients?page=3&page_size=2").json()
    assert (first["count"], first["pages"], len(first["items"])) == (5, 3, 2)
    assert len(third["items"]) == 1
    seen = {i["id"] for i in first["items"]} | {i["id"] for i in third["items"]}
    assert len(seen) == 3


def test_it_audits_each_page_of_the_list_without_names():
    w = world()
    session_api(w.clinician.user).get("/clients")
    event = AuditEvent.objects.get(action="list", object_type="Client")
    assert event.actor == w.clinician.user
    assert event.detail == {"page": 1, "ids": [w.client.pk]}


def _populate(clinician_, n):
    for i in range(n):
        c = client(clinician_)
        if i % 3 == 0:
            sign(agreement(c))
        elif i % 3 == 1:
            agreement(c)


def _queries_for_list(user, page_size):
    api = session_api(user)
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(f"/clients?page_size={page_size}")
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["items"])


def test_the_list_takes_as_many_queries_for_200_clients_as_for_10():
    w = world()
    _populate(w.clinician, 9)
    small, shown_small = _queries_for_list(w.clinician.user, 200)
    _populate(w.clinician, 191)
    large, shown_large = _queries_for_list(w.clinician.user, 200)
    assert (shown_small, shown_large) == (10, 200)
    assert small == large


def test_it_audits_reading_one_client():
    w = world()
    agreement(w.client)
    before = AuditEvent.objects.count()
    response = session_api(w.clinician.user).get(f"/clients/{w.client.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["email"], body["jurisdiction"]) == (
        w.client.pk, w.client.user.email, "US-NY")
    assert body["agreement"] == {"version": 1, "status": "awaiting_signature"}
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.object_type, event.object_id, event.client_id_ref) == (
        "view", "Client", str(w.client.pk), w.client.pk)
    assert event.actor == w.clinician.user


INVITE = {"full_name": "Dana Reyes", "email": "Dana@Example.org", "time_zone": "America/Chicago",
          "country": "US", "region": "IL", "language": "es", "phone": "+1 312 555 0100",
          "preferred_channels": ["in_app", "sms"]}


def test_a_clinician_invites_their_own_client():
    w = world()
    response = session_api(w.clinician.user).post("/clients", INVITE)
    assert response.status_code == 201, response.json()
    body = response.json()
    new = Client.objects.get(pk=body["id"])
    assert (new.clinician, new.display_name, new.user.email) == (
        w.clinician, "Dana Reyes", "dana@example.org")
    assert new.user.preferred_language == "es"
    assert new.preferred_channels == ["in_app", "sms"]
    assert body["invitation_sent"] is True
    assert "invitation_token" not in body
    assert Invitation.objects.filter(user=new.user, used_at__isnull=True).count() == 1
    assert [m.to for m in mail.outbox] == [["dana@example.org"]]
    assert AuditEvent.objects.filter(action="create", object_type="Client",
                                     client_id_ref=new.pk).exists()


def test_an_admin_invites_for_a_clinician_of_the_practice():
    w = world()
    response = session_api(w.admin).post("/clients", INVITE | {
        "clinician_id": w.other_clinician.pk})
    assert response.status_code == 201
    assert Client.objects.get(pk=response.json()["id"]).clinician == w.other_clinician


def test_an_admin_must_say_which_clinician():
    w = world()
    before = counts()
    errors = field_errors(session_api(w.admin).post("/clients", INVITE))
    assert "clinician_id" in errors
    assert counts() == before


def test_it_refuses_an_email_that_already_has_an_account():
    w = world()
    before = counts()
    response = session_api(w.clinician.user).post("/clients", INVITE | {
        "email": w.other_client.user.email})
    assert field_errors(response)["email"] == [
        "Someone with this email address already has an account."]
    assert counts() == before
    assert mail.outbox == []


def test_it_reports_every_bad_field_of_an_invitation_at_once():
    w = world()
    before = counts()
    response = session_api(w.clinician.user).post("/clients", INVITE | {
        "email": "not-an-email", "time_zone": "Mars/Olympus", "preferred_channels": ["fax"]})
    errors = field_errors(response)
    assert {"email", "time_zone", "preferred_channels.0"} <= set(errors)
    assert counts() == before


def test_it_refuses_a_state_that_is_not_in_the_country():
    w = world()
    before = counts()
    response = session_api(w.clinician.user).post("/clients", INVITE | {"region": "ZZ"})
    assert "region" in field_errors(response)
    assert counts() == before
