"""The client list costs the same number of queries for 10 clients as for 1,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interlude.accounts.models import Client, User
from interlude.agreements.models import AgreementSignature, ConnectionAgreement
from tests import factories as f

pytestmark = pytest.mark.django_db


def add_clients(clinician, count, start):
    """Clients in bulk, a third with an agreement and half of those signed."""
    users = User.objects.bulk_create(
        User(email=f"bulk{start + i}-{clinician.pk}@example.org", full_name=f"Bulk {start + i}",
             practice=clinician.practice, role=User.Role.CLIENT, password="!")
        for i in range(count))
    clients = Client.objects.bulk_create(
        Client(user=user, practice=clinician.practice, clinician=clinician,
               display_name=user.full_name, time_zone="America/Chicago", country="US",
               region="IL")
        for user in users)
    agreements = ConnectionAgreement.objects.bulk_create(
        ConnectionAgreement(client=c, clinician=clinician, version=1, inbox_open=True,
                            inbox_promise="Read within a day.")
        for c in clients[::3])
    AgreementSignature.objects.bulk_create(
        AgreementSignature(agreement=a, signed_by=a.client.user, version=1)
        for a in agreements[::2])


def queries_for(django_client, url):
    with CaptureQueriesContext(connection) as captured:
        response = django_client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("viewer", ["clinician", "admin"])
def test_it_costs_the_same_queries_for_1000_clients_as_for_10(client, viewer,
                                                               django_assert_num_queries):
    w = f.world()
    add_clients(w.clinician, 9, start=0)
    user = w.clinician.user if viewer == "clinician" else w.admin
    f.verified_login(client, user)
    client.get("/clients/")  # the first request of a session does its own bookkeeping
    with_ten, response = queries_for(client, "/clients/")
    assert len(response.context["rows"]) == (10 if viewer == "clinician" else 11)

    add_clients(w.clinician, 990, start=9)

    with django_assert_num_queries(with_ten):
        response = client.get("/clients/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 50
    assert response.context["page"].paginator.count == (1000 if viewer == "clinician" else 1001)


def test_it_pages_the_list_fifty_at_a_time(client):
    w = f.world()
    add_clients(w.clinician, 120, start=0)
    f.verified_login(client, w.clinician.user)

    last = client.get("/clients/", {"page": 3})

    assert last.status_code == 200
    # 121 clients: the factory's one and the 120 in bulk.
    assert len(last.context["rows"]) == 21
    assert "Page 3 of 3" in last.content.decode()
