from interlude.triage import assess


def test_it_finds_risk_in_a_message_without_punctuation():
    text = "had a long day at work my boss was awful i want to die i have the pills ready"
    result = assess(text)
    assert result.level == "urgent"
    assert {"en.ideation.passive", "en.plan.means"} <= {r.rule for r in result.reasons}


def test_it_does_not_let_a_distant_negation_deny_risk_without_punctuation():
    assert assess("im not sad i want to die").level == "urgent"
