"""What the client is told before sending, from fixed facts and fixed instants: in and out of
hours, time off, two zones, a daylight-saving week on one side only, pronouns, crisis routes.

2026: the US springs forward on Sunday 8 March, Spain on Sunday 29 March; between them Los
Angeles is eight hours behind Madrid instead of nine.
"""

from datetime import UTC, datetime, time

import pytest
from django.utils import translation

from interlude.agreements.availability import AgreementFacts, Window, decide
from interlude.inbox.expectations import InboxFacts, expectation

WEEKDAYS_9_TO_5 = tuple(Window(day, time(9), time(17)) for day in range(5))
SIGNED = AgreementFacts(exists=True, signed=True, inbox_open=True)
SATURDAY = datetime(2026, 11, 28, 12, tzinfo=UTC)
MONDAY_10_IN_LOS_ANGELES = datetime(2026, 11, 30, 18, tzinfo=UTC)


def facts(**changes):
    base = {"clinician_name": "Dr. Rivera", "pronoun": "she",
            "clinician_zone": "America/Los_Angeles", "client_zone": "America/New_York",
            "office_hours": WEEKDAYS_9_TO_5,
            "inbox_promise": "I read messages within 1 business day.", "response_days": 1}
    base.update(changes)
    return InboxFacts(**base)


def told(inbox_facts, at, time_off=()):
    answer = decide("inbox", SIGNED, list(inbox_facts.office_hours), [],
                    inbox_facts.clinician_zone, list(time_off), at)
    with translation.override("en"):
        return expectation(inbox_facts, answer, at)


def test_it_says_the_hours_in_both_zones():
    words = told(facts(), SATURDAY)
    assert words.hours == ("Dr. Rivera reads messages on weekdays 9:00-17:00 Pacific time "
                           "(that is 12:00-20:00 your time).")


def test_it_says_the_message_reaches_her_straight_away_inside_hours():
    words = told(facts(), MONDAY_10_IN_LOS_ANGELES)
    assert words.open_now and words.read_at is None
    assert words.status == "Reading hours now"
    assert words.now == ("It is within her reading hours now, so your message reaches her "
                         "straight away.")


def test_it_says_when_a_message_sent_outside_hours_will_be_read_in_the_clients_time():
    words = told(facts(), SATURDAY)
    assert not words.open_now
    assert words.read_at == datetime(2026, 11, 30, 17, tzinfo=UTC)
    assert words.status == "Outside reading hours now"
    assert words.now == ("It is outside her reading hours now: your message will wait until "
                         "Monday 30 November at 12:00 your time.")


def test_it_says_she_is_away_until_she_is_back_during_time_off():
    time_off = [(datetime(2026, 11, 27, tzinfo=UTC), datetime(2026, 12, 5, 12, tzinfo=UTC))]
    words = told(facts(), SATURDAY, time_off)
    assert words.reason == "time_off"
    assert words.status == "Away now"
    assert words.now == ("She is away until Monday 7 December; your message will be read "
                         "then, at 12:00 your time.")


def test_it_says_the_same_hours_when_both_share_a_zone():
    words = told(facts(client_zone="America/Los_Angeles"), SATURDAY)
    assert words.hours.endswith("Pacific time (the same as your time).")


def test_it_shows_the_hours_of_the_week_the_message_is_read_across_a_daylight_saving_change():
    madrid = facts(client_zone="Europe/Madrid")
    before = told(madrid, datetime(2026, 2, 28, 12, tzinfo=UTC))
    assert "(that is 18:00-2:00 your time)" in before.hours
    assert "Monday 2 March at 18:00 your time" in before.now
    # Saturday 7 March: Los Angeles changes its clocks on Sunday, Madrid three weeks later.
    dst_week = told(madrid, datetime(2026, 3, 7, 12, tzinfo=UTC))
    assert "(that is 17:00-1:00 your time)" in dst_week.hours
    assert dst_week.now == ("It is outside her reading hours now: your message will wait "
                            "until Monday 9 March at 17:00 your time.")


def test_it_uses_the_clinicians_pronoun_or_they():
    at = MONDAY_10_IN_LOS_ANGELES
    assert "his reading hours now, so your message reaches him" in told(
        facts(pronoun="he"), at).now
    assert "their reading hours now, so your message reaches them" in told(
        facts(pronoun="they"), at).now
    assert told(facts(pronoun="they", may_not_reply=True), at).reply.startswith(
        "They may not reply to every message.")


def test_it_says_when_no_reading_hours_are_set():
    words = told(facts(office_hours=()), SATURDAY)
    assert words.status == "No reading hours set"
    assert words.now == ("Dr. Rivera has no reading hours set at the moment, so there is no "
                         "set time when your message will be read.")
    assert words.hours == "Dr. Rivera has not set their reading hours yet."


def test_it_gives_the_promise_the_answer_time_and_whether_a_reply_comes():
    words = told(facts(response_days=2), SATURDAY)
    assert words.promise == "I read messages within 1 business day."
    assert words.answer == ("Expect an answer within 2 working days. Weekends and holidays "
                            "do not count.")
    assert words.reply == "If your message needs a reply, you will get one."
    assert told(facts(response_days=None), SATURDAY).answer == ""
    assert told(facts(may_not_reply=True), SATURDAY).reply.startswith(
        "She may not reply to every message.")


@pytest.mark.parametrize("route,hours,expected", [
    ("resources", (), "Messages are not for emergencies."),
    ("on_call", (), "the practice's clinician on call is told straight away; if nobody"),
    ("clinician", ([0, "18:00", "20:00"],),
     "Dr. Rivera is told straight away during the crisis hours of your agreement, "
     "except on time off"),
])
def test_it_says_what_the_crisis_route_means(route, hours, expected):
    words = told(facts(crisis_route=route, crisis_hours=hours), SATURDAY)
    assert expected in words.crisis[0]
    assert "crisis plan" in words.crisis[0]


def test_it_says_the_clinicians_crisis_hours_in_both_zones():
    words = told(facts(crisis_route="clinician", crisis_hours=([0, "18:00", "20:00"],)),
                 SATURDAY)
    assert words.crisis[1] == ("In a crisis, you can reach Dr. Rivera on Mondays 18:00-20:00 "
                               "Pacific time (that is 21:00-23:00 your time).")


def test_it_words_the_expectation_in_spanish_inside_an_override():
    answer = decide("inbox", SIGNED, list(WEEKDAYS_9_TO_5), [], "America/Los_Angeles", [],
                    SATURDAY)
    with translation.override("es"):
        words = expectation(facts(client_zone="Europe/Madrid"), answer, SATURDAY)
    # The date is Spanish, in Madrid's time, even before the sentences are translated.
    assert "lunes 30 de noviembre" in words.now
    assert "18:00" in words.now
