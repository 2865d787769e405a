"""A 9:00 New York session reads back as 9:00 local on both sides of the March change, in an
independent parser (vobject), and the raw feed carries the right UTC instants."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.utils import timezone

from interlude.outreach.calendar_feed import issue_feed
from interlude.outreach.models import Appointment
from tests import factories

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 1, 12, tzinfo=UTC))


def book(client, local_start):
    start = local_start.astimezone(UTC)
    return Appointment.objects.create(practice=client.practice, clinician=client.clinician,
                                      client=client, start=start,
                                      end=start + timedelta(minutes=50))


def feed_events(django_client, user):
    response = django_client.get(f"/calendar/{issue_feed(user)}.ics")
    assert response.status_code == 200
    calendar = vobject.readOne(response.content.decode())
    return {e.uid.value: e for e in calendar.vevent_list}, response.content.decode()


def test_a_nine_oclock_session_stays_at_nine_across_the_march_change(client):
    person = factories.client(factories.clinician(factories.practice()),
                              time_zone="America/New_York")
    before = book(person, datetime(2026, 3, 6, 9, 0, tzinfo=NEW_YORK))
    after = book(person, datetime(2026, 3, 9, 9, 0, tzinfo=NEW_YORK))

    events, raw = feed_events(client, person.user)

    for row in (before, after):
        start = events[f"appointment-{row.pk}@interlude"].dtstart.value.astimezone(NEW_YORK)
        end = events[f"appointment-{row.pk}@interlude"].dtend.value.astimezone(NEW_YORK)
        assert (start.hour, start.minute) == (9, 0)
        assert (end.hour, end.minute) == (9, 50)
    # EST is UTC-5 before the change, EDT UTC-4 after it.
    assert "DTSTART:20260306T140000Z" in raw
    assert "DTSTART:20260309T130000Z" in raw


def test_a_clinician_in_another_zone_sees_the_same_instants(client):
    clinician = factories.clinician(factories.practice(), time_zone="Europe/Berlin")
    person = factories.client(clinician, time_zone="America/New_York")
    # Europe changes on 29 March, three weeks after America: the gap is 5, 6, 5 hours.
    rows = [book(person, datetime(2026, 3, day, 9, 0, tzinfo=NEW_YORK)) for day in (6, 9, 30)]

    events, _raw = feed_events(client, clinician.user)

    berlin_hours = [events[f"appointment-{r.pk}@interlude"].dtstart.value.astimezone(BERLIN).hour
                    for r in rows]
    assert berlin_hours == [15, 14, 15]
