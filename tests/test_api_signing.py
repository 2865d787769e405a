"""A client reads and signs their own current agreement through the API."""

import pytest

from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent

from .api_support import counts, fast_passwords, session_api, token_api  # noqa: F401
from .factories import agreement, world

pytestmark = pytest.mark.django_db


def test_a_client_signs_the_current_version_with_their_address_and_browser():
    w = world()
    current = agreement(w.client, version=1)
    api = session_api(w.client.user)
    api.headers = {"User-Agent": "TestBrowser/1.0"}
    response = api.post("/me/agreement/sign", {"version": 1})
    assert response.status_code == 201, response.json()
    signature = AgreementSignature.objects.get(agreement=current)
    assert (signature.signed_by, signature.version) == (w.client.user, 1)
    assert (signature.ip_address, signature.user_agent) == ("127.0.0.1", "TestBrowser/1.0")
    assert response.json()["version"] == 1
    event = AuditEvent.objects.get(action="sign")
    assert (event.actor, event.client_id_ref) == (w.client.user, w.client.pk)
    body = api.get("/me/agreement").json()
    assert body["status"] == "signed"
    assert body["signed_at"] is not None


def test_a_client_signs_with_a_token_too():
    w = world()
    current = agreement(w.client, version=1)
    response = token_api(w.client.user).post("/me/agreement/sign", {"version": 1})
    assert response.status_code == 201
    assert AgreementSignature.objects.filter(agreement=current).exists()


def test_it_refuses_a_replaced_version():
    w = world()
    agreement(w.client, version=1)
    agreement(w.client, version=2)
    before = counts()
    response = session_api(w.client.user).post("/me/agreement/sign", {"version": 1})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This version has been replaced; please read the new one.",
        "code": "signature_refused"}
    assert counts() == before


def test_it_refuses_signing_twice():
    w = world()
    agreement(w.client, version=1)
    api = session_api(w.client.user)
    assert api.post("/me/agreement/sign", {"version": 1}).status_code == 201
    before = counts()
    response = api.post("/me/agreement/sign", {"version": 1})
    assert response.status_code == 409
    assert counts() == before
    assert AgreementSignature.objects.count() == 1


def test_it_refuses_a_version_that_does_not_exist():
    w = world()
    agreement(w.client, version=1)
    before = counts()
    response = session_api(w.client.user).post("/me/agreement/sign", {"version": 3})
    assert response.status_code == 404
    assert counts() == before


def test_reading_my_agreement_is_audited():
    w = world()
    current = agreement(w.client, version=1, inbox_promise="I read on weekdays.")
    before = AuditEvent.objects.count()
    response = session_api(w.client.user).get("/me/agreement")
    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["inbox_promise"], body["status"]) == (
        1, "I read on weekdays.", "awaiting_signature")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.object_id, event.actor) == ("view", str(current.pk),
                                                            w.client.user)


def test_a_client_without_an_agreement_gets_404_and_no_audit():
    w = world()
    before = AuditEvent.objects.count()
    response = session_api(w.client.user).get("/me/agreement")
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before
