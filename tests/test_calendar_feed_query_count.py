"""Reading a feed costs the same number of queries for 10 appointments as for 100."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interlude.outreach.calendar_feed import issue_feed
from interlude.outreach.models import Appointment, CalendarFeed
from tests import factories

pytestmark = pytest.mark.django_db


def book_many(clinician, count):
    clients = [factories.client(clinician) for _ in range(5)]
    now = timezone.now()
    Appointment.objects.bulk_create([
        Appointment(practice=clinician.practice, clinician=clinician, client=clients[i % 5],
                    start=now + timedelta(hours=i + 1), end=now + timedelta(hours=i + 2))
        for i in range(count)])


def queries_for_feed(django_client, user, audited):
    token = issue_feed(user)
    if not audited:
        # Audited within the hour: this read writes no audit event.
        CalendarFeed.objects.filter(user=user).update(last_audited_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        response = django_client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    return len(queries), response.content.count(b"BEGIN:VEVENT")


@pytest.mark.parametrize("audited", [True, False])
def test_the_feed_reads_in_a_fixed_number_of_queries(client, audited):
    few = factories.clinician(factories.practice())
    many = factories.clinician(factories.practice())
    book_many(few, 10)
    book_many(many, 100)

    few_queries, few_events = queries_for_feed(client, few.user, audited)
    many_queries, many_events = queries_for_feed(client, many.user, audited)

    assert (few_events, many_events) == (10, 100)
    assert few_queries == many_queries
    assert many_queries <= (12 if audited else 5)


def test_a_clients_feed_reads_in_a_fixed_number_of_queries(client):
    counts = []
    for n in (10, 100):
        person = factories.client(factories.clinician(factories.practice()))
        now = timezone.now()
        Appointment.objects.bulk_create([
            Appointment(practice=person.practice, clinician=person.clinician, client=person,
                        start=now + timedelta(hours=i + 1), end=now + timedelta(hours=i + 2))
            for i in range(n)])
        counts.append(queries_for_feed(client, person.user, audited=True)[0])

    assert counts[0] == counts[1]
