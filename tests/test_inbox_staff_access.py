"""Only the thread's own clinician reaches a thread and acts on its messages. Admins, other
clinicians of the practice, another practice's people and clients all get 404, so a
thread's existence is never disclosed, and nothing is changed or audited for them."""

import pytest
from django.urls import reverse

from interlude.audit.models import AuditEvent
from interlude.inbox.models import AgendaItem, Message
from tests import factories
from tests.appointment_support import freeze
from tests.inbox_staff_support import (
    MONDAY_MORNING,
    SUNDAY_NIGHT,
    URGENT_TEXT,
    fixed_triage,  # noqa: F401 - autouse
    inbox_client,
    send,
    with_hours,
)

pytestmark = pytest.mark.django_db

OUTSIDERS = ["admin", "other_clinician", "foreign_clinician", "foreign_admin", "client",
             "other_client"]


@pytest.fixture
def w(monkeypatch):
    w = factories.world()
    with_hours(w.clinician)
    w.client = inbox_client(w.clinician)
    send(w.client, "Held over the weekend.", SUNDAY_NIGHT)
    freeze(monkeypatch, MONDAY_MORNING)
    w.message = send(w.client, URGENT_TEXT, MONDAY_MORNING)
    assert w.message.is_pinned
    return w


def log_in_as(django_client, w, who):
    user = getattr(w, who)
    user = getattr(user, "user", user)
    if user.is_practice_staff:
        return factories.verified_login(django_client, user)
    django_client.force_login(user)
    return django_client


def requests_for(w):
    thread, message = w.message.thread_id, w.message.pk
    return [
        ("get", reverse("inbox_thread", args=[thread]), {}),
        ("post", reverse("inbox_held", args=[thread]), {}),
        ("post", reverse("inbox_reply", args=[thread]), {"text": "Hello"}),
        ("post", reverse("inbox_keep_for_session", args=[message]), {}),
        ("post", reverse("inbox_unpin", args=[message]), {}),
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_it_refuses_everyone_but_the_threads_clinician(client, w, who):
    log_in_as(client, w, who)
    before = AuditEvent.objects.count()
    for method, url, data in requests_for(w):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
    w.message.refresh_from_db()
    assert w.message.is_pinned
    assert not Message.objects.filter(sender=Message.Sender.CLINICIAN).exists()
    assert not AgendaItem.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("who", ["admin", "foreign_admin", "client"])
def test_the_inbox_itself_is_for_clinicians_only(client, w, who):
    log_in_as(client, w, who)
    assert client.get(reverse("inbox")).status_code == 404


def test_another_clinicians_inbox_lists_none_of_these_threads(client, w):
    log_in_as(client, w, "other_clinician")
    response = client.get(reverse("inbox"))
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_a_missing_thread_answers_like_someone_elses(client, w):
    log_in_as(client, w, "clinician")
    assert client.get(reverse("inbox_thread", args=[999999])).status_code == 404


def test_the_clinician_reaches_every_page(client, w):
    log_in_as(client, w, "clinician")
    for method, url, data in requests_for(w):
        response = getattr(client, method)(url, data)
        assert response.status_code in (200, 302), url


def test_anonymous_visitors_are_sent_to_log_in(client, w):
    response = client.get(reverse("inbox_thread", args=[w.message.thread_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
