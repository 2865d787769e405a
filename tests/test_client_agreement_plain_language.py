"""The agreement in plain words: every preset, every crisis route, the local crisis lines, and
office hours said in both zones across a daylight-saving difference."""

from datetime import date, time

import pytest
from django.utils import translation

from interlude.agreements.models import ConnectionAgreement
from interlude.agreements.plain_language import Parties, build_sections, hours_in_both_zones
from interlude.agreements.presets import PRESETS, preset_fields
from interlude.crisis.resources import resources_for

WEEKDAYS_9_TO_5 = tuple((day, time(9), time(17)) for day in range(5))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def agreement_from(preset, **changes):
    fields = preset_fields(preset)
    fields.update(changes)
    return ConnectionAgreement(version=1, preset=preset, **fields)


def parties(country="US", region="NY", client_zone="America/New_York", **kw):
    values = {"clinician_name": "Dr. Rivera", "clinician_zone": "America/Los_Angeles",
              "client_zone": client_zone, "office_hours": WEEKDAYS_9_TO_5,
              "resources": tuple(resources_for(country, region)), "today": date(2026, 12, 1)}
    values.update(kw)
    return Parties(**values)


def by_key(sections):
    return {section.key: section for section in sections}


def text_of(section):
    parts = [section.title, section.quote, *section.paragraphs]
    parts += [f"{item.title}: {item.text}" for item in section.items]
    return "\n".join(parts)


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_it_always_ends_with_what_to_do_in_a_crisis(preset):
    sections = build_sections(agreement_from(preset), parties())
    assert sections[0].key == "uses"
    assert sections[-1].key == "crisis"
    assert [line.name for line in sections[-1].lines][0] == "988 Suicide & Crisis Lifeline"


def test_it_explains_the_dbt_preset_with_coaching_calls_and_the_24_hour_rule():
    sections = by_key(build_sections(agreement_from("dbt"), parties()))
    assert set(sections) == {"uses", "answers", "checkins", "coaching", "crisis"}
    coaching = text_of(sections["coaching"])
    assert "call Dr. Rivera for coaching" in coaching
    assert "about 10 minutes" in coaching
    assert "The 24-hour rule: please call before you hurt yourself, not after." in coaching
    assert "do not call for coaching for the next 24 hours" in coaching
    # DBT routes crises to the clinician in weekday-evening hours, said in both zones.
    crisis = text_of(sections["crisis"])
    assert "In a crisis, you can reach Dr. Rivera on weekdays 8:00-20:00 and on Saturdays " \
           "10:00-14:00 Pacific time (that is on weekdays 11:00-23:00 and on Saturdays " \
           "13:00-17:00 your time)." in crisis
    assert "You can book up to 2 check-ins a week." in text_of(sections["checkins"])
    assert "Each one lasts up to 10 minutes." in text_of(sections["checkins"])


def test_it_explains_the_cbt_preset_with_one_check_in_and_crisis_lines_only():
    sections = by_key(build_sections(agreement_from("cbt"), parties()))
    assert set(sections) == {"uses", "answers", "checkins", "closed", "crisis"}
    answers = text_of(sections["answers"])
    assert sections["answers"].quote.startswith("I read messages within 2 business days")
    assert "Expect an answer within 2 working days." in answers
    assert "If your message needs a reply, you will get one." in answers
    assert "You can book up to 1 check-in a week." in text_of(sections["checkins"])
    assert [item.title for item in sections["closed"].items] == ["Coaching calls"]
    assert "Dr. Rivera cannot answer in a crisis between sessions." in text_of(sections["crisis"])


def test_it_lists_what_the_psychodynamic_preset_leaves_out_and_what_to_do_instead():
    sections = by_key(build_sections(agreement_from("psychodynamic"), parties()))
    assert set(sections) == {"uses", "closed", "crisis"}
    closed = {item.title: item.text for item in sections["closed"].items}
    assert set(closed) == {"Self-help tools", "Messages", "Brief check-ins", "Coaching calls"}
    assert closed["Messages"] == ("Keep a note of what comes up between sessions and bring it "
                                  "to your next one.")
    assert closed["Brief check-ins"] == "Bring it to your next session instead."
    used = [item.title for item in sections["uses"].items]
    assert used == ["Reminders and short questionnaires", "Crisis lines"]


def test_it_explains_the_general_preset_from_the_practice_defaults():
    sections = by_key(build_sections(agreement_from("general"), parties()))
    assert "Expect an answer within 1 working day." in text_of(sections["answers"])
    assert [item.title for item in sections["uses"].items] == [
        "Self-help tools", "Reminders and short questionnaires", "Messages", "Crisis lines"]
    # Without practice defaults there is no check-in cap, so check-ins stay closed.
    assert [item.title for item in sections["closed"].items] == [
        "Brief check-ins", "Coaching calls"]


def test_it_warns_when_the_clinician_may_not_reply():
    sections = by_key(build_sections(agreement_from("cbt", inbox_may_not_reply=True), parties()))
    answers = text_of(sections["answers"])
    assert "Dr. Rivera may not reply to every message." in answers
    assert "you will get one" not in answers


def test_it_routes_crises_to_the_on_call_rota_in_plain_words():
    sections = by_key(build_sections(agreement_from("cbt", crisis_route="on_call"), parties()))
    crisis = text_of(sections["crisis"])
    assert "our practice has a clinician on call" in crisis
    assert "If you are in danger now, call one of the lines below first." in crisis


def test_it_routes_crises_to_crisis_lines_only_in_plain_words():
    sections = by_key(build_sections(agreement_from("cbt", crisis_route="resources"), parties()))
    crisis = text_of(sections["crisis"])
    assert "cannot answer in a crisis between sessions" in crisis
    assert "call one of these lines now" in crisis
    assert "you can reach Dr. Rivera" not in crisis


def test_it_routes_crises_to_the_clinician_in_their_crisis_hours():
    agreement = agreement_from("cbt", crisis_route="clinician",
                               crisis_hours=[[5, "10:00", "12:00"], [6, "10:00", "12:00"]])
    crisis = text_of(by_key(build_sections(agreement, parties()))["crisis"])
    assert ("In a crisis, you can reach Dr. Rivera at weekends 10:00-12:00 Pacific time "
            "(that is 13:00-15:00 your time).") in crisis
    assert "if you cannot reach Dr. Rivera, call one of the lines below" in crisis


@pytest.mark.parametrize(("country", "region", "name", "number"), [
    ("US", "CA", "988 Suicide & Crisis Lifeline", "988"),
    ("GB", "", "Samaritans", "116123"),
    ("ES", "", "Línea 024 de atención a la conducta suicida", "024"),
    ("CA", "ON", "9-8-8 Suicide Crisis Helpline", "988"),
])
def test_it_lists_the_crisis_lines_of_the_clients_jurisdiction(country, region, name, number):
    crisis = by_key(build_sections(agreement_from("cbt"), parties(country, region)))["crisis"]
    lines = {line.name: line for line in crisis.lines}
    assert name in lines
    assert lines[name].phone_href == f"tel:{number}"
    assert lines[name].phone_label == f"Call {number}"


def test_it_gives_a_us_client_988_to_call_and_text_and_911():
    lines = by_key(build_sections(agreement_from("cbt"), parties("US")))["crisis"].lines
    assert lines[0].phone_href == "tel:988" and lines[0].text_href == "sms:988"
    assert "tel:911" in [line.phone_href for line in lines]
    assert "tel:116123" not in [line.phone_href for line in lines]


def test_it_gives_a_uk_client_samaritans_116_123_and_999_not_988():
    lines = by_key(build_sections(agreement_from("cbt"), parties("GB")))["crisis"].lines
    samaritans = next(line for line in lines if line.name == "Samaritans")
    assert "116 123" in samaritans.how
    hrefs = [line.phone_href for line in lines]
    assert "tel:999" in hrefs and "tel:988" not in hrefs and "tel:911" not in hrefs


def test_it_gives_a_client_in_spain_112_and_024():
    lines = by_key(build_sections(agreement_from("cbt"), parties("ES")))["crisis"].lines
    hrefs = [line.phone_href for line in lines]
    assert hrefs[:2] == ["tel:112", "tel:024"]
    assert "tel:988" not in hrefs


def test_it_gives_a_canadian_client_9_8_8():
    lines = by_key(build_sections(agreement_from("cbt"), parties("CA", "ON")))["crisis"].lines
    helpline = next(line for line in lines if line.name == "9-8-8 Suicide Crisis Helpline")
    assert helpline.how == "Call or text 9-8-8"
    assert helpline.text_href == "sms:988"
    assert "Samaritans" not in [line.name for line in lines]


def test_it_says_the_hours_in_both_zones_when_they_are_nine_hours_apart():
    there, here = hours_in_both_zones(WEEKDAYS_9_TO_5, "America/Los_Angeles", "Europe/Madrid",
                                      date(2026, 3, 2))
    assert there == "on weekdays 9:00-17:00 Pacific time"
    assert here == "18:00-2:00"


def test_it_says_the_hours_eight_hours_apart_in_the_week_only_america_has_changed_clocks():
    # The US moves its clocks on 8 March 2026, Spain on 29 March: for three weeks the gap is 8h.
    sections = by_key(build_sections(agreement_from("cbt"), parties(
        "ES", client_zone="Europe/Madrid", today=date(2026, 3, 9))))
    assert sections["answers"].paragraphs[0] == (
        "Dr. Rivera reads messages on weekdays 9:00-17:00 Pacific time "
        "(that is 17:00-1:00 your time).")
    _there, after_europe_changes = hours_in_both_zones(
        WEEKDAYS_9_TO_5, "America/Los_Angeles", "Europe/Madrid", date(2026, 3, 30))
    assert after_europe_changes == "18:00-2:00"


def test_it_names_the_days_in_the_clients_zone_when_they_move():
    _there, here = hours_in_both_zones(WEEKDAYS_9_TO_5, "America/Los_Angeles", "Asia/Tokyo",
                                       date(2026, 12, 1))
    assert here == "from Tuesday to Saturday 2:00-10:00"


def test_it_says_when_the_client_shares_the_clinicians_clock():
    sections = by_key(build_sections(agreement_from("cbt"), parties(
        client_zone="America/Vancouver")))
    assert sections["answers"].paragraphs[0] == (
        "Dr. Rivera reads messages on weekdays 9:00-17:00 Pacific time "
        "(the same as your time).")


def test_it_says_plainly_when_no_reading_hours_are_set():
    sections = by_key(build_sections(agreement_from("cbt"), parties(office_hours=())))
    assert sections["answers"].paragraphs[0] == (
        "Dr. Rivera has not set their reading hours yet.")
