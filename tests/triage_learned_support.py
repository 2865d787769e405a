"""A small learned layer trained on made-up examples, so that tests of how the engine combines
the rules with the learned layer do not move when the shipped examples change.

In it, "purple lantern" and "hurt myself" sound urgent, scheduling and homework routine.
"""

from dataclasses import replace
from functools import cache

from interlude.triage.learned import Example, Model, read_examples

URGENT = ("I keep thinking about the purple lantern tonight",
          "the purple lantern is calling me again",
          "tonight I will light the purple lantern",
          "I am going to hurt myself tonight",
          "I want to hurt myself so badly",
          "the homework is killing me, I will hurt myself",
          "this homework is killing me tonight")
ROUTINE = ("see you on Thursday at noon",
           "thanks for the session on Thursday",
           "can we move the session to noon",
           "thanks, see you next week",
           "the homework was fine this week",
           "I finished the homework this week")


def english_model(urgent, routine):
    """A learned layer trained on the given English urgent and routine texts."""
    return Model([Example(text, "en", "urgent") for text in urgent]
                 + [Example(text, "en", "routine") for text in routine])


@cache
def lantern_model():
    return english_model(URGENT, ROUTINE)


@cache
def deaf_model():
    """A learned layer that has only ever seen routine messages."""
    return Model([Example(text, "en", "routine") for text in ROUTINE + URGENT])


def sample_of_examples(size=3000):
    """About `size` shipped examples spread over the file, whatever their number: a check that
    holds by construction shows on a sample, and its time stays flat as the examples grow."""
    shipped = read_examples()
    return shipped[::max(1, len(shipped) // size)]


class SteeredLantern:
    """The lantern model with its chance of urgency steered. With `at_most`, the chance is only
    capped and the model's own level kept; otherwise every judgement is urgent at `urgent`."""

    def __init__(self, urgent, *, at_most=False):
        self.model, self.urgent, self.at_most = lantern_model(), urgent, at_most

    def judge(self, text, lang, embedded=None):
        judgement = self.model.judge(text, lang, embedded=embedded)
        if self.at_most:
            return replace(judgement, urgent=min(judgement.urgent, self.urgent))
        return replace(judgement, level="urgent", urgent=self.urgent)

    def __getattr__(self, name):
        return getattr(self.model, name)
