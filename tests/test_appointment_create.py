"""A clinician books an appointment for their own client, in their own time zone; it is
audited and its reminders are planned. Nobody else can book, and a refused booking (an overlap,
a time that has passed, a clock change) saves nothing and keeps what was typed."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from interlude.audit.models import AuditEvent
from interlude.outreach import appointments
from interlude.outreach.models import Appointment, Delivery
from tests import factories as f
from tests.appointment_support import book, reminders_of, signed_client

pytestmark = pytest.mark.django_db

# 10:00 on Tuesday 5 March 2030 in Los Angeles (PST, UTC-8) is 18:00 UTC.
START = datetime(2030, 3, 5, 18, 0, tzinfo=UTC)


def post(django_client, client_pk, **fields):
    data = {"client": client_pk, "day": "2030-03-05", "start_time": "10:00", "duration": "50",
            "kind": "video", "location": "https://video.example/room/7"}
    data.update(fields)
    return django_client.post("/appointments/new/", data)


def test_it_books_an_appointment_in_the_clinicians_zone_and_audits_it(client):
    w = f.world()
    ana = signed_client(w.clinician)
    f.verified_login(client, w.clinician.user)

    response = post(client, ana.pk)

    assert response.status_code == 302 and response["Location"] == "/appointments/"
    appointment = Appointment.objects.get()
    assert (appointment.client, appointment.clinician) == (ana, w.clinician)
    assert appointment.start == START and appointment.end == START + timedelta(minutes=50)
    assert appointment.practice == w.practice and appointment.status == "scheduled"
    assert appointment.sequence == 0 and appointment.location == "https://video.example/room/7"
    event = AuditEvent.objects.get(action="create", object_type="Appointment")
    assert event.actor == w.clinician.user and event.client_id_ref == ana.pk
    assert event.object_id == str(appointment.pk) and event.detail["kind"] == "video"
    # The practice's fallback rules (48 h and 2 h) on the default channels (in-app, email).
    assert reminders_of(appointment, "pending").count() == 4
    page = client.get("/appointments/").content.decode()
    assert "Tue 5 Mar 2030, 10:00–10:50" in page and ana.display_name in page


def test_it_refuses_a_client_of_another_clinician(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)

    response = post(client, w.other_client.pk)

    assert response.status_code == 200
    assert "client" in response.context["form"].errors
    assert not Appointment.objects.exists()


def test_it_refuses_another_clinicians_client_in_the_service(client):
    w = f.world()
    for outsider_client in (w.other_client, w.foreign_client):
        with pytest.raises(Http404):
            appointments.create_appointment(w.clinician.user, outsider_client, start=START,
                                            end=START + timedelta(hours=1), kind="video",
                                            location="")
    assert not Appointment.objects.exists()
    assert not Delivery.objects.exists()


def test_it_refuses_a_client_of_another_practice_on_the_page(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)

    response = post(client, w.foreign_client.pk)

    assert response.status_code == 200
    assert "client" in response.context["form"].errors
    assert not Appointment.objects.exists()


def test_it_does_not_let_a_client_or_an_admin_book(client):
    w = f.world()
    for user in (w.client.user, w.admin):
        f.verified_login(client, user)
        assert client.get("/appointments/new/").status_code == 404
        assert post(client, w.client.pk).status_code == 404
        with pytest.raises(PermissionDenied):
            appointments.create_appointment(user, w.client, start=START,
                                            end=START + timedelta(hours=1), kind="video",
                                            location="")
    assert not Appointment.objects.exists()
    assert not AuditEvent.objects.filter(object_type="Appointment").exists()


def test_it_refuses_an_overlap_with_a_clear_error_and_loses_nothing(client):
    w = f.world()
    ana = signed_client(w.clinician, name="Ana Lopez")
    ben = signed_client(w.clinician, name="Ben Ortiz")
    first = book(ana, START)
    deliveries_before = set(Delivery.objects.values_list("pk", "state"))
    events_before = AuditEvent.objects.count()
    f.verified_login(client, w.clinician.user)

    response = post(client, ben.pk, start_time="10:30", location="Room 4")

    assert response.status_code == 200
    content = response.content.decode()
    assert ("This overlaps your appointment with Ana Lopez from Tue 5 Mar 2030, 10:00 to 10:50."
            in content)
    assert 'value="2030-03-05"' in content and 'value="10:30"' in content
    assert 'value="Room 4"' in content
    assert list(Appointment.objects.values_list("pk", flat=True)) == [first.pk]
    assert set(Delivery.objects.values_list("pk", "state")) == deliveries_before
    assert AuditEvent.objects.count() == events_before


def test_it_books_right_after_another_appointment_and_over_a_cancelled_one():
    w = f.world()
    ana = signed_client(w.clinician)
    first = book(ana, START)
    back_to_back = book(ana, START + timedelta(minutes=50))
    appointments.cancel_appointment(w.clinician.user, back_to_back)
    again = book(ana, START + timedelta(minutes=50))

    assert again.start == first.end
    assert Appointment.objects.filter(status="scheduled").count() == 2


def test_it_refuses_an_appointment_that_ends_before_it_starts_or_has_passed():
    w = f.world()
    with pytest.raises(ValidationError) as backwards:
        appointments.create_appointment(w.clinician.user, w.client, start=START,
                                        end=START - timedelta(minutes=1), kind="video",
                                        location="")
    assert backwards.value.message_dict["end"] == ["The appointment must end after it starts."]
    past = datetime(2020, 1, 6, 18, tzinfo=UTC)
    with pytest.raises(ValidationError) as passed:
        appointments.create_appointment(w.clinician.user, w.client, start=past,
                                        end=past + timedelta(hours=1), kind="video",
                                        location="")
    assert passed.value.message_dict["start"] == ["Choose a time that has not passed yet."]
    assert not Appointment.objects.exists()


def test_it_refuses_a_time_the_clock_skips(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)

    # 02:30 on 10 March 2030 never happens in Los Angeles: the clock jumps from 02:00 to 03:00.
    response = post(client, w.client.pk, day="2030-03-10", start_time="02:30")

    assert response.status_code == 200
    assert "America/Los_Angeles" in response.context["form"].errors["start_time"][0]
    assert not Appointment.objects.exists()
