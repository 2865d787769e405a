"""The client's messages page: the thread, newest at the bottom, then what to expect before
sending (in the client's own zone), then the box with its counter."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from interlude.agreements.models import AgreementSignature, TimeOff
from interlude.inbox import services
from interlude.inbox.models import AgendaItem, Message
from interlude.outreach.models import Appointment
from tests import factories
from tests.appointment_support import freeze

pytestmark = pytest.mark.django_db

SATURDAY = datetime(2026, 11, 28, 12, tzinfo=UTC)
MONDAY_10_IN_LOS_ANGELES = datetime(2026, 11, 30, 18, tzinfo=UTC)


def rivera_and_ana(client_zone="America/New_York", **agreement_fields):
    home = factories.practice("Harbor Counseling")
    rivera = factories.clinician(home, name="Dr. Rivera", time_zone="America/Los_Angeles",
                                 pronoun="she", licensed=(("US", ""), ("ES", "")))
    factories.weekday_hours(rivera)
    ana = factories.client(rivera, name="Ana", time_zone=client_zone)
    agreement = factories.agreement(ana, **agreement_fields)
    AgreementSignature.objects.create(agreement=agreement, signed_by=ana.user, version=1)
    return rivera, ana


def compose(django_client, user):
    factories.verified_login(django_client, user)
    response = django_client.get(reverse("my_messages"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return response.content.decode()


def test_it_says_the_message_reaches_her_now_inside_her_hours(client, monkeypatch):
    freeze(monkeypatch, MONDAY_10_IN_LOS_ANGELES)
    _rivera, ana = rivera_and_ana()
    page = compose(client, ana.user)
    assert "Reading hours now" in page
    assert ("Dr. Rivera reads messages on weekdays 9:00-17:00 Pacific time "
            "(that is 12:00-20:00 your time).") in page
    assert "your message reaches her straight away." in page


def test_it_says_when_the_message_will_be_read_outside_her_hours(client, monkeypatch):
    freeze(monkeypatch, SATURDAY)
    _rivera, ana = rivera_and_ana()
    page = compose(client, ana.user)
    assert ("It is outside her reading hours now: your message will wait until Monday 30 "
            "November at 12:00 your time.") in page
    assert "I read messages within 1 business day." in page


def test_it_says_she_is_away_during_time_off(client, monkeypatch):
    freeze(monkeypatch, SATURDAY)
    rivera, ana = rivera_and_ana()
    TimeOff.objects.create(clinician=rivera, starts_at=datetime(2026, 11, 27, tzinfo=UTC),
                           ends_at=datetime(2026, 12, 5, 12, tzinfo=UTC))
    page = compose(client, ana.user)
    assert "Away now" in page
    assert ("She is away until Monday 7 December; your message will be read then, at 12:00 "
            "your time.") in page


def test_it_converts_the_hours_to_a_client_in_another_country(client, monkeypatch):
    freeze(monkeypatch, SATURDAY)
    _rivera, ana = rivera_and_ana(client_zone="Europe/Madrid")
    page = compose(client, ana.user)
    assert "(that is 18:00-2:00 your time)" in page
    assert "Monday 30 November at 18:00 your time." in page


def test_it_uses_the_week_the_message_is_read_in_a_daylight_saving_week(client, monkeypatch):
    # Los Angeles moves its clocks on Sunday 8 March 2026, Madrid on 29 March.
    freeze(monkeypatch, datetime(2026, 3, 7, 12, tzinfo=UTC))
    _rivera, ana = rivera_and_ana(client_zone="Europe/Madrid")
    page = compose(client, ana.user)
    assert "(that is 17:00-1:00 your time)" in page
    assert "Monday 9 March at 17:00 your time." in page


def test_it_says_she_may_not_reply_and_what_the_on_call_route_means(client, monkeypatch):
    freeze(monkeypatch, SATURDAY)
    _rivera, ana = rivera_and_ana(inbox_may_not_reply=True, crisis_route="on_call")
    page = compose(client, ana.user)
    assert "She may not reply to every message." in page
    assert "clinician on call is told straight away" in page


def test_it_puts_the_expectation_above_the_box_with_a_live_counter(client, monkeypatch):
    freeze(monkeypatch, SATURDAY)
    _rivera, ana = rivera_and_ana()
    page = compose(client, ana.user)
    assert page.index("Before you send") < page.index('<textarea name="body"')
    assert 'data-message-limit="2000"' in page
    assert 'id="id_body_count" class="helptext" aria-live="polite"' in page
    assert 'data-within="{count} of 2,000 characters"' in page
    assert "message-counter.js" in page


def test_it_shows_the_thread_oldest_first_with_held_replies_and_kept_messages(client,
                                                                             monkeypatch):
    rivera, ana = rivera_and_ana()
    friday_in_hours = datetime(2026, 11, 27, 18, tzinfo=UTC)
    first = services.send_from_client(ana.user, "Can we move Thursday?",
                                      at=friday_in_hours).message
    freeze(monkeypatch, datetime(2026, 11, 27, 19, tzinfo=UTC))
    services.reply(rivera.user, first.thread, "Yes, Friday works.")
    services.send_from_client(ana.user, "Thank you, see you Friday.", at=SATURDAY)
    appointment = Appointment.objects.create(
        practice=ana.practice, clinician=rivera, client=ana,
        start=datetime(2026, 12, 4, 17, tzinfo=UTC), end=datetime(2026, 12, 4, 18, tzinfo=UTC))
    AgendaItem.objects.create(message=first, client=ana, appointment=appointment,
                              created_by=rivera.user)
    freeze(monkeypatch, SATURDAY)
    page = compose(client, ana.user)
    order = ["Can we move Thursday?", "Yes, Friday works.", "Thank you, see you Friday.",
             "Thank you for your message."]
    assert [page.index(text) for text in order] == sorted(page.index(t) for t in order)
    assert "Kept for your next session on Friday 4 December" in page
    assert ("Your message is waiting for Dr. Rivera&#x27;s reading hours. It will be read "
            "from Monday 30 November at 12:00 your time.") in page
    assert Message.objects.filter(sender=Message.Sender.SYSTEM).count() == 1
