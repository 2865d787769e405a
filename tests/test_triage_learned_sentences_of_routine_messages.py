"""The sentences of routine messages are routine examples too, for the parts of long messages.

Out of its message, "Thank you for everything you are doing for him" sits among goodbyes; in
a parent's scheduling note it is thanks. A long message is read sentence by sentence, so each
sentence is also compared with the sentences of routine examples.
"""

import numpy

from interlude.triage import embedding
from interlude.triage.engine import assess
from interlude.triage.features import parse
from interlude.triage.learned import Example, Model, routine_parts

GOODBYES = ("Thank you for everything. I won't need any more sessions after tonight.",
            "thank you for everything, you tried, it's not your fault",
            "I just want to say thank you for everything before I go",
            "thank you for everything you did for me, please look after her",
            "Thank you for everything you are doing. This is my last message.",
            "tonight I will take all the pills I saved",
            "I have been saving my pills to take them all tonight")
PARENT_NOTES = ("Hi, this is Sam's dad. Can we move Tuesday to Thursday? "
                "Thank you for everything you are doing for him.",
                "Sam has a dentist visit on Monday. Could we do Wednesday instead? "
                "Thank you for everything you are doing with him, he is calmer.",
                "We will be ten minutes late on Friday. Thanks for all you do for our son.",
                "She liked the new worksheet. Thank you for everything you are doing with "
                "our daughter.")
ROUTINE = ("see you on Thursday at noon", "I finished the worksheet this week")
LONG_NOTE = ("Hello, this is Maya's mother writing about next week. She has a school trip on "
             "Tuesday so could we move her session to Thursday after school, any time after "
             "four works for us. She has been in a much better mood lately and even invited a "
             "friend over at the weekend. Thank you for everything you are doing with her.")


def model():
    return Model([Example(text, "en", "urgent") for text in GOODBYES]
                 + [Example(text, "en", "routine") for text in PARENT_NOTES + ROUTINE])


def test_it_takes_every_sentence_of_routine_messages_of_several_sentences():
    examples = [Example(PARENT_NOTES[0], "en", "routine"), Example(ROUTINE[0], "en", "routine"),
                Example(GOODBYES[0], "en", "urgent")]
    parts = routine_parts(examples)
    assert [number for number, _ in parts] == [0, 0, 0]
    assert [text for _, text in parts] == ["Hi, this is Sam's dad",
                                           "Can we move Tuesday to Thursday",
                                           "Thank you for everything you are doing for him"]


def test_a_sentence_of_a_long_message_is_less_urgent_beside_the_sentences_of_routine_ones():
    learned = model()
    sentence = "Thank you for everything you are doing with her."
    row = numpy.asarray(embedding.embed([sentence])[0], dtype=numpy.float32)
    _, alone, _ = learned.read(row)
    _, beside_parts, _ = learned.read(row, part=True)
    assert beside_parts < alone


def test_it_does_not_raise_thanks_at_the_end_of_a_long_scheduling_note():
    learned = model()
    assert len(parse(LONG_NOTE, "en")[0]) >= 2 and len(LONG_NOTE.split()) >= 40
    assert learned.judge(LONG_NOTE, "en").level != "urgent"


def test_it_still_raises_risk_hidden_in_a_long_mundane_message():
    hidden = ("Quick update on the week. Work was busy and I finished the big report on "
              "Wednesday. My sister visited on Saturday and we cooked together, which was "
              "nice. I have been saving my pills and I will take them all tonight. Anyway, "
              "see you on Thursday at noon as usual, I finished the worksheet this week.")
    result = assess(hidden, "en", model=model())
    assert result.level == "urgent"
