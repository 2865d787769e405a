from interlude.agreements.availability import CHANNELS, decide, parse_crisis_hours
from interlude.agreements.views import REASON_TEXT


def test_every_reason_the_engine_can_give_has_words_for_the_staff_page():
    import inspect

    from interlude.agreements import availability

    source = inspect.getsource(availability)
    codes = {code for code in REASON_TEXT}
    for literal in ("no_agreement", "not_signed", "channel_closed", "always_open", "automated",
                    "time_off", "crisis_resources_only", "on_call_rota"):
        assert literal in source
        assert literal in codes
    for wording in (availability.OFFICE, availability.CRISIS):
        assert {wording.inside, wording.outside, wording.none} <= codes


def test_the_engine_answers_only_with_reasons_that_have_words():
    from datetime import UTC, datetime

    from interlude.agreements.availability import AgreementFacts

    at = datetime(2026, 11, 28, 12, tzinfo=UTC)
    crisis = parse_crisis_hours([[0, "09:00", "17:00"]])
    for route in ("resources", "clinician", "on_call"):
        for signed in (True, False):
            facts = AgreementFacts(exists=True, signed=signed, self_help_open=True,
                                   automated_open=True, inbox_open=True, checkins_open=False,
                                   crisis_route=route)
            for channel in CHANNELS:
                answer = decide(channel, facts, [], crisis, "America/New_York", [], at)
                assert answer.reason in REASON_TEXT, answer.reason
