"""The inbox lists pinned urgent messages first (an urgent message that found nobody on duty),
then threads with unread released messages, then the rest by last activity; it shows level
badges and unread counts of released messages only. Unpinning is audited."""

import pytest
from django.urls import reverse

from interlude.audit.models import AuditEvent
from interlude.inbox import staff
from interlude.inbox.models import Message
from tests import factories
from tests.appointment_support import freeze
from tests.inbox_staff_support import (
    ELEVATED_TEXT,
    MONDAY_MORNING,
    URGENT_TEXT,
    at,
    fixed_triage,  # noqa: F401 - autouse
    inbox_client,
    send,
    with_hours,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(monkeypatch):
    """Four clients: one read long ago, one recent and read, one unread and flagged, and one
    whose urgent message found nobody on duty (crisis route: crisis resources only)."""
    w = factories.world()
    with_hours(w.clinician)
    names = ["Old Read", "Recent Read", "Unread Flagged", "Pinned Urgent"]
    people = {name: inbox_client(w.clinician, name=name) for name in names}
    old = send(people["Old Read"], "An old note.", at("2030-03-04 09:05"))
    recent = send(people["Recent Read"], "A recent note.", at("2030-03-04 10:20"))
    Message.objects.filter(pk__in=[old.pk, recent.pk]).update(read_at=at("2030-03-04 10:25"))
    send(people["Unread Flagged"], ELEVATED_TEXT, at("2030-03-04 09:10"))
    urgent = send(people["Pinned Urgent"], URGENT_TEXT, at("2030-03-04 09:00"))
    Message.objects.filter(pk=urgent.pk).update(read_at=at("2030-03-04 09:30"))
    freeze(monkeypatch, MONDAY_MORNING)
    return w, urgent


def listed(client, w):
    factories.verified_login(client, w.clinician.user)
    response = client.get(reverse("inbox"))
    assert response.status_code == 200
    return response.context["rows"]


def test_it_puts_the_pinned_urgent_message_first_then_unread_then_by_activity(client, inbox):
    w, urgent = inbox
    assert urgent.level == "urgent" and urgent.is_pinned
    rows = listed(client, w)
    assert [row["client"] for row in rows] == [
        "Pinned Urgent", "Unread Flagged", "Recent Read", "Old Read"]


def test_it_shows_badges_and_unread_counts(client, inbox):
    w, _urgent = inbox
    rows = {row["client"]: row for row in listed(client, w)}
    assert rows["Pinned Urgent"]["pinned"] is True
    assert rows["Pinned Urgent"]["badge"]["label"] == "Urgent"
    assert rows["Unread Flagged"]["badge"]["label"] == "Elevated"
    assert rows["Unread Flagged"]["unread"] == 1
    assert rows["Old Read"]["badge"] is None and rows["Old Read"]["unread"] == 0


def test_unpinning_is_audited_and_moves_the_thread_down(client, inbox):
    w, urgent = inbox
    factories.verified_login(client, w.clinician.user)

    response = client.post(reverse("inbox_unpin", args=[urgent.pk]))

    assert response.status_code == 302
    urgent.refresh_from_db()
    assert not urgent.is_pinned and urgent.unpinned_at == MONDAY_MORNING
    event = AuditEvent.objects.get(action="unpin")
    assert (event.object_type, event.object_id, event.actor) == (
        "Message", str(urgent.pk), w.clinician.user)
    assert [row["client"] for row in listed(client, w)] == [
        "Unread Flagged", "Recent Read", "Old Read", "Pinned Urgent"]


def test_unpinning_twice_audits_once(client, inbox):
    w, urgent = inbox
    factories.verified_login(client, w.clinician.user)
    client.post(reverse("inbox_unpin", args=[urgent.pk]))
    client.post(reverse("inbox_unpin", args=[urgent.pk]))
    assert AuditEvent.objects.filter(action="unpin").count() == 1


def test_the_list_view_is_audited_without_message_text(client, inbox):
    w, _urgent = inbox
    listed(client, w)
    event = AuditEvent.objects.get(action="view", object_type="Inbox")
    assert event.detail == {"page": 1, "rows": 4}


def test_the_order_comes_from_one_query(inbox, django_assert_num_queries):
    w, _urgent = inbox
    with django_assert_num_queries(1):
        assert len(list(staff.inbox_threads(w.clinician))) == 4
