"""A client reads only their own agreement; nobody else reaches the client pages."""

import pytest
from django.urls import reverse

from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

CLIENT_PAGES = ["client_home", "client_agreement", "client_agreement_history"]


@pytest.fixture
def world():
    w = factories.world()
    factories.agreement(w.client, version=1, inbox_promise="Mine: read within one day.")
    factories.agreement(w.other_client, version=1, inbox_promise="Other: read on Fridays.")
    factories.agreement(w.foreign_client, version=1, inbox_promise="Foreign: read monthly.")
    return w


def test_it_shows_the_client_their_own_agreement_and_no_one_elses(client, world):
    factories.verified_login(client, world.client.user)
    response = client.get(reverse("client_agreement"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mine: read within one day." in body
    assert "Other: read on Fridays." not in body
    assert "Foreign: read monthly." not in body
    event = AuditEvent.objects.get(action="view", object_type="ConnectionAgreement")
    assert event.actor == world.client.user
    assert event.client_id_ref == world.client.pk
    assert event.object_id == str(world.client.agreements.get().pk)


@pytest.mark.parametrize("page", CLIENT_PAGES)
def test_it_refuses_the_clients_own_clinician(client, world, page):
    factories.verified_login(client, world.clinician.user)
    assert client.get(reverse(page)).status_code == 404
    assert not AuditEvent.objects.filter(object_type__startswith="ConnectionAgreement").exists()


@pytest.mark.parametrize("page", CLIENT_PAGES)
def test_it_refuses_a_practice_admin(client, world, page):
    factories.verified_login(client, world.admin)
    assert client.get(reverse(page)).status_code == 404
    assert not AuditEvent.objects.filter(object_type__startswith="ConnectionAgreement").exists()


def test_it_refuses_another_clinician_and_another_practices_admin(client, world):
    for user in (world.other_clinician.user, world.foreign_clinician.user, world.foreign_admin):
        factories.verified_login(client, user)
        assert client.get(reverse("client_agreement")).status_code == 404
    assert not AuditEvent.objects.filter(action="view").exists()


def test_it_shows_each_client_only_their_own_even_in_the_other_practice(client, world):
    factories.verified_login(client, world.foreign_client.user)
    body = client.get(reverse("client_agreement")).content.decode()
    assert "Foreign: read monthly." in body
    assert "Mine: read within one day." not in body
    event = AuditEvent.objects.get(action="view")
    assert event.client_id_ref == world.foreign_client.pk


def test_it_sends_someone_not_logged_in_to_the_login_page(client, world):
    response = client.get(reverse("client_agreement"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not AuditEvent.objects.filter(action="view").exists()


def test_it_refuses_to_let_a_clinician_sign_for_a_client(client, world):
    factories.verified_login(client, world.clinician.user)
    response = client.post(reverse("client_agreement_sign"), {"version": 1, "agree": "yes"})
    assert response.status_code == 404
    assert not world.client.agreements.filter(signature__isnull=False).exists()
