"""warm() trains the learned layer once, so a server can pay for it at start-up; calls from
several threads at once share one trained model."""

import threading

from interlude.triage import learned, warm


def test_it_trains_the_learned_layer_once_whatever_the_number_of_threads():
    threads = [threading.Thread(target=warm) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    trained = learned.model()
    warm()
    assert learned.model() is trained
    assert learned._trained.cache_info().misses == 1
