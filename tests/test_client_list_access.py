"""The client list shows a clinician their own clients, an admin their practice, nobody else's."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def names_on_page(response):
    return [row["name"] for row in response.context["rows"]]


def test_it_lists_only_the_clinicians_own_clients(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)

    response = client.get("/clients/")

    assert response.status_code == 200
    assert names_on_page(response) == [w.client.display_name]
    content = response.content.decode()
    assert w.other_client.display_name not in content
    assert w.foreign_client.display_name not in content


def test_it_lists_every_client_of_the_practice_to_its_admin(client):
    w = f.world()
    f.verified_login(client, w.admin)

    response = client.get("/clients/")

    assert response.status_code == 200
    assert sorted(names_on_page(response)) == sorted(
        [w.client.display_name, w.other_client.display_name])
    assert w.foreign_client.display_name not in response.content.decode()
    # Admins see whose client each one is.
    assert w.other_clinician.display_name in response.content.decode()


def test_it_lists_only_their_own_practice_to_another_practices_admin(client):
    w = f.world()
    f.verified_login(client, w.foreign_admin)

    response = client.get("/clients/")

    assert response.status_code == 200
    assert names_on_page(response) == [w.foreign_client.display_name]


def test_it_refuses_a_client(client):
    w = f.world()
    client.force_login(w.client.user)

    response = client.get("/clients/")

    assert response.status_code == 404


def test_it_sends_an_anonymous_visitor_to_log_in(client):
    response = client.get("/clients/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_finds_clients_by_name(client):
    w = f.world()
    f.client(w.clinician, name="Robin Alvarez")
    f.client(w.clinician, name="Sam Okafor")
    f.verified_login(client, w.clinician.user)

    response = client.get("/clients/", {"q": "alva"})

    assert response.status_code == 200
    assert names_on_page(response) == ["Robin Alvarez"]


def test_it_shows_each_clients_agreement_status(client):
    from interlude.agreements.models import AgreementSignature

    w = f.world()
    waiting = f.client(w.clinician, name="Avery Waiting")
    signed = f.client(w.clinician, name="Blake Signed")
    f.agreement(waiting, version=1)
    f.agreement(signed, version=1)
    second = f.agreement(signed, version=2, checkins_open=True, checkin_weekly_cap=2)
    AgreementSignature.objects.create(agreement=second, signed_by=signed.user, version=2)
    f.verified_login(client, w.clinician.user)

    response = client.get("/clients/")

    rows = {row["name"]: row for row in response.context["rows"]}
    assert rows[w.client.display_name]["status"] == "No agreement"
    assert rows["Avery Waiting"]["version"] == 1
    assert rows["Avery Waiting"]["status"] == "Awaiting signature"
    assert rows["Blake Signed"]["version"] == 2
    assert rows["Blake Signed"]["status"].startswith("Signed on ")
    assert "check-ins (2 a week)" in rows["Blake Signed"]["channels"]
    assert "inbox" in rows["Avery Waiting"]["channels"]


def test_the_viewer_zone_sql_names_the_models_tables_and_columns():
    from interlude.accounts.models import Clinician, Practice
    from interlude.agreements.views import VIEWER_ZONE_SQL

    assert f"FROM {Clinician._meta.db_table} WHERE user_id" in VIEWER_ZONE_SQL
    assert f"FROM {Practice._meta.db_table} WHERE id" in VIEWER_ZONE_SQL
    assert Clinician._meta.get_field("time_zone").column == "time_zone"


@pytest.mark.django_db
def test_dates_are_shown_in_the_clinicians_zone_and_an_admins_practice_zone():
    from interlude.agreements.views import viewer_zone

    w = f.world()
    w.practice.time_zone = "Europe/Madrid"
    w.practice.save()
    assert viewer_zone(w.clinician.user) == w.clinician.time_zone
    assert viewer_zone(w.admin) == "Europe/Madrid"
