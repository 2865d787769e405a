""""The bridge where we used to walk the dog" names a place; it does not put what the client
is doing now in the past. A plain "used to" still does."""

from interlude.triage import assess


def test_it_keeps_standing_on_the_bridge_where_we_used_to_walk_urgent():
    result = assess("Been standing on the bridge where we used to walk Bear. Just looking down "
                    "at the water.", "en")
    assert result.level == "urgent"
    assert not any(reason.modifier == "en.past" for reason in result.reasons)


def test_it_still_reads_a_plain_used_to_as_the_past():
    result = assess("I used to stand on the bridge and think about jumping, not anymore", "en")
    assert result.level == "elevated"
