"""A practice admin sees their practice's clinicians and manages their licences; nobody else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interlude.accounts.models import License
from interlude.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_lists_the_practices_clinicians_and_their_licences(client):
    w = factories.world()
    License.objects.create(clinician=w.other_clinician, country="CA", region="ON", number="ON-77")
    factories.verified_login(client, w.admin)
    response = client.get("/practice/")
    assert response.status_code == 200
    body = response.content.decode()
    assert w.clinician.display_name in body
    assert w.other_clinician.display_name in body
    assert "Ontario, Canada" in body and "ON-77" in body
    assert w.foreign_clinician.display_name not in body


def test_it_keeps_the_query_count_flat_as_clinicians_grow(client):
    w = factories.world()
    factories.verified_login(client, w.admin)
    client.get("/practice/")

    def queries_for_the_page():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/practice/").status_code == 200
        return len(queries)

    few = queries_for_the_page()
    for _ in range(5):
        factories.clinician(w.practice, licensed=(("US", "NY"), ("US", "NJ")))
    assert queries_for_the_page() == few <= 8


@pytest.mark.parametrize("who", ["clinician", "client"])
def test_it_refuses_people_who_are_not_admins(client, who):
    w = factories.world()
    factories.verified_login(client, getattr(w, who).user)
    assert client.get("/practice/").status_code == 404
    response = client.post(f"/practice/clinicians/{w.clinician.pk}/licences/",
                           {"country": "US", "region": "CA"})
    assert response.status_code == 404
    assert not License.objects.filter(region="CA").exists()


def test_it_shows_another_practices_admin_only_their_own_practice(client):
    w = factories.world()
    factories.verified_login(client, w.foreign_admin)
    body = client.get("/practice/").content.decode()
    assert w.foreign_clinician.display_name in body
    assert w.clinician.display_name not in body


def test_it_lets_the_admin_add_a_licence(client):
    w = factories.world()
    factories.verified_login(client, w.admin)
    response = client.post(f"/practice/clinicians/{w.clinician.pk}/licences/",
                           {"country": "US", "region": "ca", "number": "PSY 1234"})
    assert response.status_code == 302
    license_ = License.objects.get(clinician=w.clinician, region="CA")
    assert (license_.country, license_.number) == ("US", "PSY 1234")
    event = AuditEvent.objects.get(action="create", object_type="License")
    assert event.actor == w.admin
    assert event.object_id == str(license_.pk)


def test_it_refuses_a_licence_for_another_practices_clinician(client):
    w = factories.world()
    factories.verified_login(client, w.foreign_admin)
    response = client.post(f"/practice/clinicians/{w.clinician.pk}/licences/",
                           {"country": "US", "region": "CA"})
    assert response.status_code == 404
    assert not License.objects.filter(clinician=w.clinician, region="CA").exists()
    assert not AuditEvent.objects.filter(object_type="License").exists()


def test_it_refuses_a_bad_or_duplicate_licence_with_a_clear_message(client):
    w = factories.world()
    factories.verified_login(client, w.admin)
    before = License.objects.count()
    bad = client.post(f"/practice/clinicians/{w.clinician.pk}/licences/",
                      {"country": "US", "region": "XX"})
    assert bad.status_code == 400
    assert "XX is not a state or province of United States" in bad.content.decode()
    duplicate = client.post(f"/practice/clinicians/{w.clinician.pk}/licences/",
                            {"country": "US", "region": ""})
    assert duplicate.status_code == 400
    assert "already holds a licence for United States" in duplicate.content.decode()
    assert License.objects.count() == before


def test_it_lets_the_admin_remove_a_licence_of_their_practice_only(client):
    w = factories.world()
    own = w.clinician.licenses.get()
    foreign = w.foreign_clinician.licenses.get()
    factories.verified_login(client, w.admin)
    assert client.post(f"/practice/licences/{foreign.pk}/remove/").status_code == 404
    assert License.objects.filter(pk=foreign.pk).exists()
    assert client.post(f"/practice/licences/{own.pk}/remove/").status_code == 302
    assert not License.objects.filter(pk=own.pk).exists()
    event = AuditEvent.objects.get(action="delete", object_type="License")
    assert event.object_id == str(own.pk)
    assert event.detail["clinician"] == w.clinician.pk
