"""The appointment lists: a clinician sees their own clients' upcoming appointments in their
zone, a page at a time, in a fixed number of queries; a client sees only their own, in their
zone and language. Reading either list is audited."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interlude.audit.models import AuditEvent
from interlude.outreach import appointments
from tests import factories as f
from tests.appointment_support import book, signed_client

pytestmark = pytest.mark.django_db

START = datetime(2030, 3, 5, 18, 0, tzinfo=UTC)  # 10:00 Los Angeles, 13:00 New York


def test_a_clinician_sees_only_their_own_upcoming_appointments_in_their_zone(client):
    w = f.world()
    mine = book(w.client, START)
    cancelled = book(w.client, START + timedelta(days=1))
    appointments.cancel_appointment(w.clinician.user, cancelled)
    book(w.other_client, START)
    book(w.foreign_client, START)
    f.verified_login(client, w.clinician.user)

    response = client.get("/appointments/")

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["pk"] for row in rows] == [mine.pk]
    assert rows[0]["when"] == "Tue 5 Mar 2030, 10:00"
    content = response.content.decode()
    assert w.other_client.display_name not in content
    assert w.foreign_client.display_name not in content
    event = AuditEvent.objects.get(action="view", object_type="AppointmentList")
    assert event.actor == w.clinician.user and event.detail["rows"] == 1


def test_the_clinicians_list_is_paginated_in_a_fixed_number_of_queries(client):
    w = f.world()
    clients = [f.client(w.clinician) for _ in range(3)]
    f.verified_login(client, w.clinician.user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/appointments/").status_code == 200
        return len(captured)

    book(clients[0], START)
    queries()  # the first request after logging in also writes the session
    few = queries()
    for n in range(30):
        book(clients[n % 3], START + timedelta(hours=n + 1))
    many = queries()

    assert few == many
    response = client.get("/appointments/?page=2")
    assert len(response.context["rows"]) == 6 and response.context["page"].number == 2


def test_a_client_sees_only_their_own_appointments_in_their_zone(client):
    w = f.world()
    book(w.client, START)
    book(w.other_client, START + timedelta(hours=2))
    f.verified_login(client, w.client.user)

    response = client.get("/me/appointments/")

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row["day"], row["time"]) for row in rows] == [("Tuesday 5 March", "13:00")]
    event = AuditEvent.objects.get(action="view", object_type="AppointmentList")
    assert event.actor == w.client.user and event.client_id_ref == w.client.pk


def test_a_spanish_speaking_client_reads_their_appointments_in_spanish(client):
    w = f.world()
    lucia = signed_client(w.clinician, name="Lucía", time_zone="Europe/Madrid", country="ES",
                          region="", language="es")
    book(lucia, START, kind="in_person", location="")
    f.verified_login(client, lucia.user)

    content = client.get("/me/appointments/").content.decode()

    assert "Tus citas" in content
    assert "martes 5 de marzo a las 19:00" in content
    assert "Presencial" in content and "Confirmar" in content and "Programada" in content
    assert "Your appointments" not in content


def test_staff_and_clients_reach_only_their_own_list(client):
    w = f.world()
    f.verified_login(client, w.client.user)
    assert client.get("/appointments/").status_code == 404
    f.verified_login(client, w.clinician.user)
    assert client.get("/me/appointments/").status_code == 404
    f.verified_login(client, w.admin)
    assert client.get("/appointments/").status_code == 404
