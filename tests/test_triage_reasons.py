from interlude.triage import TriageResult, assess


def test_it_names_the_matched_words_the_rule_and_the_clause():
    text = "Quick question about parking. Also I've been saving up my pills, just so you know."
    result = assess(text)
    assert isinstance(result, TriageResult)
    reason = next(r for r in result.reasons if r.rule == "en.plan.means")
    assert reason.words == "saving up my pills"
    assert reason.category == "plan_means"
    assert reason.level == "urgent"
    assert reason.words in reason.clause and "parking" not in reason.clause
    assert reason.modifier is None


def test_it_says_which_modifier_changed_the_level():
    reason = assess("I'm not suicidal, just exhausted").reasons[0]
    assert (reason.level, reason.modifier, reason.words) == ("elevated", "en.negation",
                                                              "suicidal")


def test_it_keeps_accents_and_case_in_the_quoted_words():
    reason = assess("Mañana voy a QUITARME LA VIDA").reasons[0]
    assert reason.words == "QUITARME LA VIDA"


def test_it_gives_routine_messages_no_risk_reasons():
    result = assess("Can we move Thursday's session to 3pm?")
    assert (result.level, result.reasons) == ("routine", [])
    assert result.as_dict() == {"level": "routine", "lang": "en", "reasons": []}
