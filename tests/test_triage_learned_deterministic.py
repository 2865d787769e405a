"""The learned layer is trained at first use, so the same examples must give the same model."""

from interlude.triage.learned import SEED, Model, read_examples

SOME = read_examples()[::3]  # a third of the examples keeps the test quick


def snapshot(model):
    return (model.vectoriser.features, model.vectoriser.idf,
            model.urgent.weights, model.urgent.bias,
            model.elevated.weights, model.elevated.bias)


def test_it_trains_the_same_weights_from_the_same_examples():
    assert snapshot(Model(SOME)) == snapshot(Model(list(SOME)))


def test_it_takes_the_order_of_training_from_its_seed():
    assert snapshot(Model(SOME, seed=SEED + 1)) != snapshot(Model(SOME, seed=SEED))


def test_it_gives_the_same_chances_for_a_message_each_time():
    text = "honestly i dont know how much longer i can keep doing this"
    first, second = Model(SOME).judge(text, "en"), Model(SOME).judge(text, "en")
    assert (first.level, first.urgent, first.elevated) == (second.level, second.urgent,
                                                           second.elevated)
