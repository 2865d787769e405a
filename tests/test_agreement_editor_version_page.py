"""One version of an agreement, read-only, with its signature; every read is audited."""

import pytest

from interlude.agreements.models import AgreementSignature
from interlude.audit.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_shows_who_signed_when_and_from_where(client):
    w = f.world()
    agreement = f.agreement(w.client, version=1, notes="Skills coaching only.")
    AgreementSignature.objects.create(agreement=agreement, signed_by=w.client.user, version=1,
                                      ip_address="203.0.113.7")
    f.verified_login(client, w.clinician.user)

    response = client.get(f"/clients/{w.client.pk}/agreements/1/")

    assert response.status_code == 200
    content = response.content.decode()
    assert w.client.user.full_name in content
    assert "203.0.113.7" in content
    assert response.context["signed"]  # formatted in the viewer's zone
    assert "Skills coaching only." in content
    event = AuditEvent.objects.get(action="view", object_type="ConnectionAgreement")
    assert event.actor == w.clinician.user
    assert event.object_id == str(agreement.pk)
    assert event.client_id_ref == w.client.pk
    assert "Skills coaching" not in str(event.detail)


def test_it_shows_an_unsigned_version_as_awaiting_signature(client):
    w = f.world()
    f.agreement(w.client, version=1)
    f.agreement(w.client, version=2)
    f.verified_login(client, w.clinician.user)

    response = client.get(f"/clients/{w.client.pk}/agreements/2/")

    assert response.status_code == 200
    assert response.context["signature"] is None
    assert "Awaiting signature" in response.content.decode()
