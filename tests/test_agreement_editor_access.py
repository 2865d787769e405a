"""A client's page, their agreement versions and the agreement editor are refused to everyone
who may not see that client: another clinician, another practice, clients themselves."""

import pytest

from interlude.agreements.models import ConnectionAgreement
from interlude.audit.models import AuditEvent
from tests import factories as f
from tests.test_agreement_editor_presets import form_with

pytestmark = pytest.mark.django_db

PAGES = ["/clients/{pk}/", "/clients/{pk}/agreements/new/", "/clients/{pk}/agreements/1/"]


def with_agreements(w):
    for client_ in (w.client, w.other_client, w.foreign_client):
        f.agreement(client_, version=1)
    return w


def login(django_client, user):
    if user.is_practice_staff:
        return f.verified_login(django_client, user)
    django_client.force_login(user)
    return django_client


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who, whose", [
    ("clinician", "other_client"),
    ("clinician", "foreign_client"),
    ("admin", "foreign_client"),
    ("foreign_admin", "client"),
    ("other_clinician", "client"),
])
def test_it_refuses_staff_who_may_not_see_the_client(client, page, who, whose):
    w = with_agreements(f.world())
    user = getattr(w, who)
    login(client, getattr(user, "user", user))
    target = getattr(w, whose)

    response = client.get(page.format(pk=target.pk))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="view").exists()


@pytest.mark.parametrize("page", PAGES)
def test_it_refuses_the_client_their_own_staff_pages(client, page):
    w = with_agreements(f.world())
    login(client, w.client.user)

    response = client.get(page.format(pk=w.client.pk))

    assert response.status_code == 404


def test_it_refuses_to_save_an_agreement_for_another_clinicians_client(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)
    data = form_with(client.get(f"/clients/{w.client.pk}/agreements/new/",
                                {"preset": "cbt"}), "preset")

    for target in (w.other_client, w.foreign_client):
        response = client.post(f"/clients/{target.pk}/agreements/new/", data)
        assert response.status_code == 404
    assert not ConnectionAgreement.objects.exists()


def test_it_shows_the_clinician_their_clients_page_and_audits_the_read(client):
    w = with_agreements(f.world())
    f.verified_login(client, w.clinician.user)

    response = client.get(f"/clients/{w.client.pk}/")

    assert response.status_code == 200
    assert w.client.display_name in response.content.decode()
    events = AuditEvent.objects.filter(actor=w.clinician.user, action="view",
                                       client_id_ref=w.client.pk)
    assert set(events.values_list("object_type", flat=True)) == {"Client",
                                                                 "ConnectionAgreement"}


@pytest.mark.parametrize("whose", ["client", "other_client"])
def test_it_lets_the_admin_read_any_client_of_the_practice(client, whose):
    w = with_agreements(f.world())
    target = getattr(w, whose)
    f.verified_login(client, w.admin)

    detail = client.get(f"/clients/{target.pk}/")
    version = client.get(f"/clients/{target.pk}/agreements/1/")

    assert detail.status_code == 200
    assert version.status_code == 200
    assert AuditEvent.objects.filter(actor=w.admin, action="view", object_type="Client",
                                     client_id_ref=target.pk).count() == 1


def test_it_leaves_offering_an_agreement_to_the_clients_clinician(client):
    w = f.world()
    f.verified_login(client, w.admin)

    response = client.get(f"/clients/{w.client.pk}/agreements/new/")

    assert response.status_code == 403
    assert not ConnectionAgreement.objects.exists()


def test_it_answers_404_for_a_version_that_does_not_exist(client):
    w = with_agreements(f.world())
    f.verified_login(client, w.clinician.user)

    response = client.get(f"/clients/{w.client.pk}/agreements/2/")

    assert response.status_code == 404
