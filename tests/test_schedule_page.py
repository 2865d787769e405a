"""The clinician's schedule page: creating a schedule from plain fields, seeing the next
messages in the client's zone and the clinician's, editing, ending with a confirmation, and
being told when nothing can be planned. Reading the page is audited."""

from datetime import datetime

import pytest

from interlude.audit.models import AuditEvent
from interlude.outreach import schedules
from interlude.outreach.models import Delivery, Schedule
from tests import factories as f
from tests.test_schedule_planner import calendar_schedule, signed, utc

pytestmark = pytest.mark.django_db

WEEKLY = {"name": "Monday and Thursday check-in", "channel": "in_app",
          "body": "How is the week going?", "timing": "repeat", "frequency": "weekly",
          "interval": "1", "weekdays": ["MO", "TH"], "time_of_day": "09:00",
          "start_date": "2030-01-07", "end_date": "", "count": "", "rule": "",
          "before_amount": "", "before_unit": "days"}


def page_of(w):
    return f"/clients/{w.client.pk}/schedules/"


def test_it_creates_a_weekly_schedule_from_the_form(client):
    w = f.world()
    signed(w.client)
    f.verified_login(client, w.clinician.user)

    response = client.post(page_of(w), WEEKLY)

    assert response.status_code == 302
    schedule = Schedule.objects.get(client=w.client)
    assert schedule.rrule == "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=0"
    assert schedules.stored_start(schedule) == datetime(2030, 1, 7, 9)
    assert (schedule.name, schedule.body, schedule.status, schedule.created_by_id) == (
        "Monday and Thursday check-in", "How is the week going?", "active", w.clinician.user_id)
    event = AuditEvent.objects.get(action="create", object_type="Schedule")
    assert event.detail == {"version": 1, "channel": "in_app", "timing": "recurrence"}


def test_it_shows_the_next_three_messages_in_both_zones(client):
    w = f.world()
    signed(w.client)
    calendar_schedule(w.client)
    f.verified_login(client, w.clinician.user)

    response = client.get(page_of(w))

    page = response.content.decode()
    assert response.status_code == 200
    assert "every Monday at 9:00, from 2030-01-07" in page
    # Client in New York, clinician in Los Angeles.
    for day in (7, 14, 21):
        assert f"Mon {day} Jan 2030, 09:00" in page
        assert f"Mon {day} Jan 2030, 06:00" in page
    assert "Mon 28 Jan 2030" not in page
    assert AuditEvent.objects.filter(action="view", object_type="Schedule",
                                     actor=w.clinician.user, client_id_ref=w.client.pk).exists()


def test_it_creates_a_schedule_before_each_appointment(client):
    w = f.world()
    signed(w.client)
    f.verified_login(client, w.clinician.user)

    response = client.post(page_of(w), {**WEEKLY, "timing": "appointment",
                                        "before_amount": "2", "before_unit": "days"})

    assert response.status_code == 302
    schedule = Schedule.objects.get(client=w.client)
    assert (schedule.minutes_before_appointment, schedule.rrule) == (2880, "")
    page = client.get(page_of(w)).content.decode()
    assert "2 days before each appointment" in page


@pytest.mark.parametrize("change, field, message", [
    ({"weekdays": []}, "weekdays", "Choose at least one day of the week."),
    ({"time_of_day": ""}, "time_of_day", "Say at what time of day."),
    ({"rule": "FREQ=MINUTELY"}, "rule", "Too frequent"),
    ({"end_date": "2030-01-01"}, "end_date", "The end date is before the start."),
    ({"timing": "appointment"}, "before_amount", "Say how long before each appointment."),
    ({"channel": "sms"}, "channel", "The practice has not enabled text messages."),
])
def test_it_refuses_a_bad_form_with_a_clear_message_and_saves_nothing(client, change, field,
                                                                      message):
    w = f.world()
    f.verified_login(client, w.clinician.user)

    response = client.post(page_of(w), {**WEEKLY, **change})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in text for text in errors[field])
    assert "Nothing was saved" in response.content.decode()
    assert not Schedule.objects.exists()


def test_it_edits_a_schedule_from_a_prefilled_form(client):
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)
    f.verified_login(client, w.clinician.user)
    url = f"{page_of(w)}{schedule.pk}/edit/"

    form = client.get(url).context["form"]
    assert (form.initial["frequency"], form.initial["weekdays"],
            str(form.initial["time_of_day"])) == ("weekly", ["MO"], "09:00:00")
    response = client.post(url, {**WEEKLY, "name": "Renamed", "weekdays": ["FR"]})

    assert response.status_code == 302
    schedule.refresh_from_db()
    assert (schedule.name, schedule.version) == ("Renamed", 2)
    assert schedule.rrule == "FREQ=WEEKLY;BYDAY=FR;BYHOUR=9;BYMINUTE=0"


def test_it_keeps_an_expert_rule_as_a_rule_when_editing(client):
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client, rrule="FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=18")
    f.verified_login(client, w.clinician.user)

    form = client.get(f"{page_of(w)}{schedule.pk}/edit/").context["form"]

    assert form.initial["rule"] == "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=18"


def test_it_asks_before_ending_a_schedule_and_ends_it_on_confirmation(client):
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)
    schedules.plan_due_occurrences(utc(2030, 1, 6, 12))
    f.verified_login(client, w.clinician.user)
    url = f"{page_of(w)}{schedule.pk}/end/"

    question = client.get(url)
    assert question.status_code == 200
    assert "Yes, end this schedule" in question.content.decode()
    assert Schedule.objects.get(pk=schedule.pk).status == "active"

    response = client.post(url)

    assert response.status_code == 302
    assert Schedule.objects.get(pk=schedule.pk).status == "ended"
    assert not Delivery.objects.filter(ref_id=str(schedule.pk), state="pending").exists()


def test_it_pauses_and_resumes_from_the_list(client):
    w = f.world()
    signed(w.client)
    schedule = calendar_schedule(w.client)
    f.verified_login(client, w.clinician.user)

    paused = client.post(f"{page_of(w)}{schedule.pk}/pause/")
    assert paused.status_code == 302
    assert Schedule.objects.get(pk=schedule.pk).status == "paused"
    assert "Resume Weekly check-in" in client.get(page_of(w)).content.decode()

    resumed = client.post(f"{page_of(w)}{schedule.pk}/resume/")
    assert resumed.status_code == 302
    assert Schedule.objects.get(pk=schedule.pk).status == "active"


def test_it_tells_the_clinician_when_nothing_can_be_planned(client):
    w = f.world()
    f.agreement(w.client, automated_open=True)  # not signed
    schedule = calendar_schedule(w.client)
    schedules.plan_due_occurrences(utc(2030, 1, 6, 12))
    f.verified_login(client, w.clinician.user)

    page = client.get(page_of(w)).content.decode()

    assert "Nothing is being planned for this client." in page
    assert "The client has not signed the current agreement" in page
    assert Schedule.objects.get(pk=schedule.pk).last_problem == "agreement:not_signed"


def _page_queries(client, w):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_of(w)).status_code == 200
    return len(queries)


def test_it_shows_the_list_in_a_fixed_number_of_queries(client):
    from tests.test_schedule_planner import appointment_schedule

    w = f.world()
    signed(w.client)
    calendar_schedule(w.client)
    appointment_schedule(w.client, 120)
    f.verified_login(client, w.clinician.user)
    client.get(page_of(w))  # the first request after logging in also writes the session
    few = _page_queries(client, w)
    for n in range(4):
        calendar_schedule(w.client, name=f"Extra {n}")
        appointment_schedule(w.client, 60 * (n + 3))

    many = _page_queries(client, w)

    assert Schedule.objects.filter(client=w.client).count() == 10
    assert many == few
