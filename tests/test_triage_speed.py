import time

from interlude.triage import assess, learned

LONG = ("Thanks for the worksheet, I finished the thought record twice this week and the "
        "kitchen is finally painted. ") * 8 + "I've been saving up my pills."


def test_it_triages_fast_enough_for_the_inbox():
    learned.model()  # trained once per process, at first use; not part of each message's time
    texts = [LONG, "Can we move Thursday?", "me muero de ganas de verte", "kms"] * 100
    timings = []
    for text in texts:
        start = time.perf_counter()
        assess(text)
        timings.append(time.perf_counter() - start)
    timings.sort()
    assert timings[int(len(timings) * 0.99)] < 0.05
    assert len(texts) / sum(timings) >= 200
