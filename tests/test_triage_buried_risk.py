from interlude.triage import assess

MUNDANE = ("Thanks for sending the worksheet. I did the values sorting and came up with family, "
           "creativity and honesty as my top three, which surprised me. My kid started preschool "
           "and cried for a while and now loves it. The new insurance card should reach the front "
           "desk this week, and I can do Tuesday at four or Thursday morning, whichever suits. ")
ENDING = ("Also can you resend the link for the video session, the old one expired? "
          "Have a good weekend and say hi to the receptionist for me.")


def test_it_finds_risk_buried_in_a_long_mundane_message():
    text = MUNDANE + "Last night I counted the pills I've been saving up. " + ENDING
    assert len(text.split()) >= 90
    result = assess(text)
    assert result.level == "urgent"
    words = {reason.words for reason in result.reasons if reason.rule == "en.plan.means"}
    assert "counted the pills" in words


def test_it_keeps_the_same_long_message_without_risk_routine():
    assert assess(MUNDANE + ENDING).level == "routine"
