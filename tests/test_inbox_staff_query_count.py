"""The inbox page fetches what it shows in a fixed number of queries: as many for 30 threads
as for 3."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interlude.inbox.models import Message, Thread
from tests import factories
from tests.appointment_support import freeze
from tests.inbox_staff_support import MONDAY_MORNING, at

pytestmark = pytest.mark.django_db


def threads(clinician, count):
    """Threads with a mix of read, unread, held, flagged and pinned messages."""
    for n in range(count):
        person = factories.client(clinician)
        thread = Thread.objects.create(practice=clinician.practice, client=person,
                                       clinician=clinician)
        sent = at("2030-03-04 09:00")
        Message.objects.create(thread=thread, sender="client", body="Read one.",
                               created_at=sent, released_at=sent, read_at=sent)
        Message.objects.create(thread=thread, sender="client", body="Unread one.",
                               level="elevated" if n % 2 else "routine",
                               created_at=sent, released_at=sent,
                               pinned_at=sent if n % 5 == 0 else None)
        Message.objects.create(thread=thread, sender="client", body="Held one.",
                               created_at=sent, held_until=at("2030-03-05 09:00"))


def queries_for_inbox(client, user):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("inbox"))
    assert response.status_code == 200
    return len(captured), response


def test_the_inbox_costs_the_same_queries_for_3_and_30_threads(client, monkeypatch):
    freeze(monkeypatch, MONDAY_MORNING)
    few, many = factories.world(), factories.world()
    threads(few.clinician, 3)
    threads(many.clinician, 30)

    factories.verified_login(client, few.clinician.user)
    small, small_page = queries_for_inbox(client, few.clinician.user)
    client.logout()
    factories.verified_login(client, many.clinician.user)
    large, large_page = queries_for_inbox(client, many.clinician.user)

    assert len(small_page.context["rows"]) == 3
    assert len(large_page.context["rows"]) == 25
    assert all(row["held"].startswith("1 held until") for row in large_page.context["rows"])
    assert small == large
