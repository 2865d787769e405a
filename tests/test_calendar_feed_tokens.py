"""Feed links are unguessable, stored only as a hash, and revocable: a revoked link is 404."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from interlude.outreach.calendar_feed import issue_feed, turn_off
from interlude.outreach.models import Appointment, CalendarFeed
from tests import factories

pytestmark = pytest.mark.django_db


def person_with_appointment():
    person = factories.client(factories.clinician(factories.practice()))
    start = timezone.now() + timedelta(days=1)
    Appointment.objects.create(practice=person.practice, clinician=person.clinician,
                               client=person, start=start, end=start + timedelta(hours=1))
    return person


def test_it_keeps_only_the_sha256_of_a_long_random_token():
    person = person_with_appointment()

    token = issue_feed(person.user)

    feed = CalendarFeed.objects.get(user=person.user)
    assert len(token) >= 43
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash
    assert feed.revoked_at is None


def test_a_new_link_revokes_the_old_one(client):
    person = person_with_appointment()
    old = issue_feed(person.user)

    new = issue_feed(person.user)

    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    rows = CalendarFeed.objects.filter(user=person.user)
    assert rows.count() == 2
    assert rows.filter(revoked_at__isnull=True).count() == 1


def test_turning_off_makes_the_link_404(client):
    person = person_with_appointment()
    token = issue_feed(person.user)

    assert turn_off(person.user) == 1

    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content
    assert not CalendarFeed.objects.filter(user=person.user, revoked_at__isnull=True).exists()


def test_an_unknown_or_altered_token_is_404(client):
    person = person_with_appointment()
    token = issue_feed(person.user)

    assert client.get(f"/calendar/{token[:-1]}x.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_a_deactivated_person_s_link_stops_working(client):
    person = person_with_appointment()
    token = issue_feed(person.user)
    person.user.is_active = False
    person.user.save()

    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_the_feed_is_not_cached_and_refuses_post(client):
    person = person_with_appointment()
    token = issue_feed(person.user)

    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert client.head(f"/calendar/{token}.ics").status_code == 200
    assert client.post(f"/calendar/{token}.ics").status_code == 405
