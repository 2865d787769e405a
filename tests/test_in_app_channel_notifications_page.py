"""Each person sees their own in-app notifications on /notifications/, newest first, and marks
them read; nobody sees or marks another person's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interlude.outreach.models import Notification
from tests import factories
from tests.factories import verified_login

pytestmark = pytest.mark.django_db

URL = reverse("notifications")


@pytest.fixture
def w():
    return factories.world()


def note(user, title, minutes_ago=0):
    return Notification.objects.create(user=user, title=title, body=f"{title} body",
                                       created_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_it_shows_a_client_their_notifications_newest_first(client, w):
    note(w.client.user, "Older", minutes_ago=30)
    note(w.client.user, "Newer", minutes_ago=1)
    note(w.other_client.user, "Someone else's")
    note(w.foreign_client.user, "Another practice's")
    response = verified_login(client, w.client.user).get(URL)
    assert response.status_code == 200
    assert [row["title"] for row in response.context["rows"]] == ["Newer", "Older"]
    body = response.content.decode()
    assert "Someone else" not in body and "Another practice" not in body
    assert "Newer body" in body


def test_it_shows_the_unread_count_in_the_navigation(client, w):
    note(w.clinician.user, "One")
    note(w.clinician.user, "Two")
    response = verified_login(client, w.clinician.user).get(URL)
    assert '<span class="badge">2</span>' in response.content.decode()


def test_it_marks_a_notification_read(client, w):
    mine = note(w.client.user, "Mine")
    response = verified_login(client, w.client.user).post(
        reverse("notification_read", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_it_refuses_to_mark_another_persons_notification(client, w):
    theirs = note(w.other_client.user, "Theirs")
    foreign = note(w.foreign_admin, "Foreign")
    verified_login(client, w.client.user)
    for row in (theirs, foreign):
        response = client.post(reverse("notification_read", args=[row.pk]))
        assert response.status_code == 404
        row.refresh_from_db()
        assert row.read_at is None


def test_it_marks_all_of_ones_own_notifications_read(client, w):
    note(w.admin, "A")
    note(w.admin, "B")
    theirs = note(w.clinician.user, "C")
    response = verified_login(client, w.admin).post(reverse("notifications_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=w.admin, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_refuses_a_get_to_mark_read(client, w):
    mine = note(w.client.user, "Mine")
    response = verified_login(client, w.client.user).get(
        reverse("notification_read", args=[mine.pk]))
    assert response.status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


def test_it_sends_a_visitor_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_it_never_links_outside_interlude(client, w):
    Notification.objects.create(user=w.client.user, title="Bad", link="javascript:alert(1)")
    Notification.objects.create(user=w.client.user, title="Good", link="/me/agreement/")
    response = verified_login(client, w.client.user).get(URL)
    links = {row["title"]: row["link"] for row in response.context["rows"]}
    assert links == {"Bad": "", "Good": "/me/agreement/"}
    assert "javascript:" not in response.content.decode()
