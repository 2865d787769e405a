"""Earlier versions: the client sees every version of their own agreement with its dates."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from interlude.agreements.models import AgreementSignature, ConnectionAgreement
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_lists_each_version_with_its_signature_date(client):
    w = factories.world()
    first = factories.agreement(w.client, version=1)
    factories.agreement(w.client, version=2)
    ConnectionAgreement.objects.filter(pk=first.pk).update(
        created_at=datetime(2026, 1, 5, 15, tzinfo=UTC))
    AgreementSignature.objects.create(agreement=first, signed_by=w.client.user, version=1,
                                      signed_at=datetime(2026, 1, 6, 3, tzinfo=UTC))
    factories.agreement(w.other_client, version=7)
    factories.verified_login(client, w.client.user)
    response = client.get(reverse("client_agreement_history"))
    assert response.status_code == 200
    rows = response.content.decode().split("<tbody>")[1].split("<tr>")[1:]
    assert len(rows) == 2
    assert rows[0].split("</td>")[0].strip().startswith("<td>2")
    assert "current" in rows[0] and "Not signed" in rows[0]
    # 03:00 UTC on 6 January is still 5 January in New York.
    assert "<td>5 January 2026</td>\n      <td>5 January 2026</td>" in rows[1]
    event = AuditEvent.objects.get(action="view")
    assert (event.object_type, event.client_id_ref) == ("ConnectionAgreementHistory", w.client.pk)
    assert event.detail == {"versions": 2}


def test_it_refuses_staff_and_shows_nothing_of_other_clients(client):
    w = factories.world()
    factories.agreement(w.other_client, version=3)
    for user in (w.clinician.user, w.other_clinician.user, w.admin, w.foreign_admin):
        factories.verified_login(client, user)
        assert client.get(reverse("client_agreement_history")).status_code == 404
    factories.verified_login(client, w.client.user)
    page = client.get(reverse("client_agreement_history")).content.decode()
    assert "You do not have an agreement yet." in page
    assert "<tbody>" not in page
