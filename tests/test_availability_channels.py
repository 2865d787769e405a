"""Which channels an agreement opens, and when: `decide` on plain facts, `check` on the database."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interlude.agreements.availability import (
    NO_AGREEMENT,
    AgreementFacts,
    Window,
    check,
    check_channels,
    current_agreement,
    decide,
    windows_for,
)
from interlude.agreements.models import AgreementSignature, OfficeHours, TimeOff
from tests import factories

LA = "America/Los_Angeles"
WEEKDAYS_9_TO_5 = [Window(day, time(9), time(17)) for day in range(5)]
EVENINGS_6_TO_8 = [Window(day, time(18), time(20)) for day in range(5)]
MONDAY_TEN = datetime(2026, 6, 15, 17, 0, tzinfo=UTC)  # 10:00 in Los Angeles
MONDAY_SEVEN_PM = datetime(2026, 6, 16, 2, 0, tzinfo=UTC)  # 19:00 in Los Angeles
SATURDAY = datetime(2026, 6, 13, 17, 0, tzinfo=UTC)
NEXT_MONDAY_NINE = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)
MONDAY_OFF = (datetime(2026, 6, 15, 7, 0, tzinfo=UTC), datetime(2026, 6, 16, 7, 0, tzinfo=UTC))
TUESDAY_NINE = datetime(2026, 6, 16, 16, 0, tzinfo=UTC)
ALL_CHANNELS = ["self_help", "automated", "inbox", "checkins", "crisis"]


def facts(**fields):
    values = {"exists": True, "signed": True, "self_help_open": True, "automated_open": True,
              "inbox_open": True, "checkins_open": True, "crisis_route": "resources"}
    values.update(fields)
    return AgreementFacts(**values)


def ask(channel, agreement_facts, at, time_off=(), office=WEEKDAYS_9_TO_5,
        crisis=EVENINGS_6_TO_8):
    return decide(channel, agreement_facts, office, crisis, LA, list(time_off), at)


# --- decide: the agreement gate ------------------------------------------------------------------

def test_it_refuses_an_unknown_channel():
    with pytest.raises(ValueError):
        ask("carrier_pigeon", facts(), MONDAY_TEN)


@pytest.mark.parametrize("channel", ALL_CHANNELS)
def test_it_refuses_every_channel_without_an_agreement(channel):
    answer = ask(channel, NO_AGREEMENT, MONDAY_TEN)
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (False, None, "no_agreement")
    assert answer.detail


@pytest.mark.parametrize("channel", ALL_CHANNELS)
def test_it_refuses_every_channel_until_the_current_version_is_signed(channel):
    answer = ask(channel, facts(signed=False, crisis_route="on_call"), MONDAY_TEN)
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (False, None, "not_signed")


@pytest.mark.parametrize("channel,flag", [("self_help", "self_help_open"),
                                          ("automated", "automated_open"),
                                          ("inbox", "inbox_open"),
                                          ("checkins", "checkins_open")])
def test_it_refuses_a_channel_the_agreement_keeps_closed(channel, flag):
    answer = ask(channel, facts(**{flag: False}), MONDAY_TEN)
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (False, None, "channel_closed")
    # Closing one channel leaves the others as they were.
    assert ask("self_help" if channel != "self_help" else "automated", facts(**{flag: False}),
               MONDAY_TEN).allowed


# --- decide: channels that do not wait for hours ------------------------------------------------

def test_it_opens_self_help_at_any_hour():
    answer = ask("self_help", facts(), SATURDAY, time_off=[MONDAY_OFF], office=[])
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (True, SATURDAY, "always_open")


def test_it_allows_automated_messages_at_any_hour():
    answer = ask("automated", facts(), SATURDAY, office=[])
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (True, SATURDAY, "automated")


# --- decide: inbox and check-ins follow office hours ---------------------------------------------

@pytest.mark.parametrize("channel", ["inbox", "checkins"])
def test_it_allows_inbox_and_checkins_inside_office_hours(channel):
    answer = ask(channel, facts(), MONDAY_TEN)
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (
        True, MONDAY_TEN, "in_office_hours")


@pytest.mark.parametrize("channel", ["inbox", "checkins"])
def test_it_holds_inbox_and_checkins_outside_office_hours_until_the_next_window(channel):
    answer = ask(channel, facts(), SATURDAY)
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (
        False, NEXT_MONDAY_NINE, "outside_office_hours")
    assert "Monday 2026-06-15 09:00" in answer.detail


@pytest.mark.parametrize("channel", ["inbox", "checkins"])
def test_it_says_time_off_when_the_clinician_is_away(channel):
    answer = ask(channel, facts(), MONDAY_TEN, time_off=[MONDAY_OFF])
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (False, TUESDAY_NINE, "time_off")


def test_it_says_outside_office_hours_when_time_off_starts_later():
    answer = ask("inbox", facts(), SATURDAY, time_off=[MONDAY_OFF])
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (
        False, TUESDAY_NINE, "outside_office_hours")


@pytest.mark.parametrize("channel", ["inbox", "checkins"])
def test_it_says_no_office_hours_when_none_are_set(channel):
    answer = ask(channel, facts(), MONDAY_TEN, office=[])
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (False, None, "no_office_hours")


# --- decide: crisis routes -----------------------------------------------------------------------

def test_it_routes_crisis_to_resources_only():
    answer = ask("crisis", facts(crisis_route="resources"), MONDAY_TEN)
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (
        False, None, "crisis_resources_only")


def test_it_routes_crisis_to_the_on_call_rota_at_any_hour():
    answer = ask("crisis", facts(crisis_route="on_call"), SATURDAY, time_off=[MONDAY_OFF])
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (True, SATURDAY, "on_call_rota")


def test_it_routes_crisis_to_the_clinician_in_crisis_hours_not_office_hours():
    clinician_route = facts(crisis_route="clinician")
    inside = ask("crisis", clinician_route, MONDAY_SEVEN_PM)
    assert (inside.allowed, inside.next_seen_at, inside.reason) == (
        True, MONDAY_SEVEN_PM, "in_crisis_hours")
    outside = ask("crisis", clinician_route, MONDAY_TEN)
    assert (outside.allowed, outside.next_seen_at, outside.reason) == (
        False, datetime(2026, 6, 16, 1, 0, tzinfo=UTC), "outside_crisis_hours")


def test_it_says_time_off_for_the_crisis_route_while_the_clinician_is_away():
    answer = ask("crisis", facts(crisis_route="clinician"), MONDAY_SEVEN_PM,
                 time_off=[(MONDAY_OFF[0], MONDAY_OFF[1] + timedelta(days=1))])
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (
        False, datetime(2026, 6, 18, 1, 0, tzinfo=UTC), "time_off")


def test_it_says_no_crisis_hours_when_the_route_has_none():
    answer = ask("crisis", facts(crisis_route="clinician"), MONDAY_SEVEN_PM, crisis=[])
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (False, None, "no_crisis_hours")


# --- check: the same answers from the database ---------------------------------------------------

def sign(agreement):
    return AgreementSignature.objects.create(agreement=agreement, signed_by=agreement.client.user,
                                             version=agreement.version)


@pytest.fixture
def world(db, settings):
    # Nobody logs in here: a fast hasher keeps the seven made-up users from costing seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = factories.world()
    factories.weekday_hours(world.clinician)
    return world


def test_it_checks_no_agreement_from_the_database(world):
    answer = check(world.client, "inbox", MONDAY_TEN)
    assert (answer.allowed, answer.reason) == (False, "no_agreement")
    assert current_agreement(world.client) is None


def test_it_checks_an_unsigned_agreement_as_not_signed(world):
    factories.agreement(world.client)
    assert check(world.client, "inbox", MONDAY_TEN).reason == "not_signed"


def test_it_checks_the_highest_version_only(world):
    sign(factories.agreement(world.client, version=1))
    newer = factories.agreement(world.client, version=2, inbox_open=False)
    assert current_agreement(world.client) == newer
    assert check(world.client, "inbox", MONDAY_TEN).reason == "not_signed"
    sign(newer)
    assert check(world.client, "inbox", MONDAY_TEN).reason == "channel_closed"


def test_it_checks_office_hours_in_the_clinicians_zone(world):
    sign(factories.agreement(world.client))
    inside = check(world.client, "inbox", MONDAY_TEN)
    assert (inside.allowed, inside.next_seen_at, inside.reason) == (
        True, MONDAY_TEN, "in_office_hours")
    outside = check(world.client, "inbox", SATURDAY)
    assert (outside.allowed, outside.next_seen_at, outside.reason) == (
        False, NEXT_MONDAY_NINE, "outside_office_hours")


def test_it_checks_time_off_from_the_database(world):
    sign(factories.agreement(world.client, checkins_open=True))
    TimeOff.objects.create(clinician=world.clinician, starts_at=MONDAY_OFF[0],
                           ends_at=MONDAY_OFF[1])
    answer = check(world.client, "checkins", MONDAY_TEN)
    assert (answer.allowed, answer.next_seen_at, answer.reason) == (False, TUESDAY_NINE, "time_off")


def test_it_ignores_another_clinicians_hours_and_time_off(world):
    sign(factories.agreement(world.client))
    factories.weekday_hours(world.other_clinician, start=time(0), end=time(23, 59), days=range(7))
    TimeOff.objects.create(clinician=world.other_clinician, starts_at=MONDAY_OFF[0],
                           ends_at=MONDAY_OFF[1])
    assert check(world.client, "inbox", MONDAY_TEN).reason == "in_office_hours"
    assert check(world.client, "inbox", SATURDAY).reason == "outside_office_hours"
    assert check(world.other_client, "inbox", SATURDAY).reason == "no_agreement"


def test_it_checks_crisis_hours_stored_on_the_agreement(world):
    rows = [[day, "18:00", "20:00"] for day in range(5)] + [["someday", "18:00", "20:00"]]
    sign(factories.agreement(world.client, crisis_route="clinician", crisis_hours=rows))
    inside = check(world.client, "crisis", MONDAY_SEVEN_PM)
    assert (inside.allowed, inside.reason) == (True, "in_crisis_hours")
    outside = check(world.client, "crisis", MONDAY_TEN)
    assert (outside.allowed, outside.next_seen_at, outside.reason) == (
        False, datetime(2026, 6, 16, 1, 0, tzinfo=UTC), "outside_crisis_hours")


def test_it_checks_now_when_no_instant_is_given(world):
    sign(factories.agreement(world.client))
    before = timezone.now()
    answer = check(world.client, "self_help")
    assert answer.allowed
    assert before <= answer.next_seen_at <= timezone.now()


def test_it_reads_a_clinicians_office_hours_as_windows(world):
    OfficeHours.objects.create(clinician=world.clinician, weekday=5, start=time(10),
                               end=time(12))
    assert sorted(windows_for(world.clinician), key=lambda w: (w.weekday, w.start)) == (
        WEEKDAYS_9_TO_5 + [Window(5, time(10), time(12))])
    assert windows_for(world.other_clinician) == []


def _queries_for_check(client, channel):
    with CaptureQueriesContext(connection) as captured:
        check(client, channel, SATURDAY)
    return len(captured)


@pytest.mark.parametrize("channel", ["inbox", "crisis"])
def test_it_checks_in_the_same_few_queries_however_many_hours_and_days_off(
        world, channel, django_assert_max_num_queries):
    sign(factories.agreement(world.client, crisis_route="clinician",
                             crisis_hours=[[0, "18:00", "20:00"]]))
    few = _queries_for_check(world.client, channel)
    for day in range(60):
        OfficeHours.objects.create(clinician=world.clinician, weekday=day % 7,
                                   start=time(6 + day % 3), end=time(7 + day % 3))
        start = SATURDAY + timedelta(days=day)
        TimeOff.objects.create(clinician=world.clinician, starts_at=start,
                               ends_at=start + timedelta(hours=20))
    with django_assert_max_num_queries(3):
        answer = check(world.client, channel, SATURDAY)
    assert _queries_for_check(world.client, channel) == few
    assert answer.reason == "time_off"


def test_it_checks_every_channel_at_once_in_the_same_few_queries(world,
                                                                django_assert_max_num_queries):
    sign(factories.agreement(world.client, checkins_open=False, crisis_route="on_call"))
    with django_assert_max_num_queries(3):
        answers = check_channels(world.client, SATURDAY)
    assert list(answers) == ALL_CHANNELS
    assert {channel: answer.reason for channel, answer in answers.items()} == {
        "self_help": "always_open", "automated": "automated", "inbox": "outside_office_hours",
        "checkins": "channel_closed", "crisis": "on_call_rota"}
    assert answers == {channel: check(world.client, channel, SATURDAY) for channel in ALL_CHANNELS}
