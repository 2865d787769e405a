"""`interlude triage --cross-validate FILE.jsonl [--folds N]` prints the --evaluate report for
the engine with the learned layer trained without each fold, then for the rules alone."""

import io
import json

import pytest
from django.core.management import call_command

from interlude.triage import cli, crossval
from interlude.triage.learned import read_examples


def labeled(tmp_path, per_level=8):
    examples = read_examples()
    chosen = [e for level in ("routine", "elevated", "urgent")
              for e in [e for e in examples if e.level == level][:per_level]]
    path = tmp_path / "labeled.jsonl"
    path.write_text("".join(json.dumps({"text": e.text, "level": e.level}) + "\n"
                            for e in chosen), encoding="utf-8")
    return path, len(chosen)


def blocks(output):
    """{title: (table rows, confusion matrix rows)} for each report printed."""
    found, title = {}, None
    for line in output.splitlines():
        if "cross-validation" in line and " over " in line:
            title, found[line] = line, []
        elif title:
            found[title].append(line)
    return {title: parse(lines) for title, lines in found.items()}


def parse(lines):
    lines = [line for line in lines if line.strip()]
    assert lines[0].split() == ["level", "recall", "precision", "support"]
    assert lines[4].startswith("routine marked urgent: ")
    table = {line.split()[0]: line.split()[1:] for line in lines[1:4]}
    matrix = {line.split()[0]: [int(n) for n in line.split()[1:]] for line in lines[-3:]}
    return table, matrix


def test_it_prints_the_report_for_the_engine_and_for_the_rules_alone(tmp_path):
    path, count = labeled(tmp_path)
    out = io.StringIO()
    call_command("triage", cross_validate=str(path), folds=3, stdout=out)
    found = blocks(out.getvalue())
    assert list(found) == [
        f"rules and learned layer, 3-fold cross-validation over {count} messages",
        f"rules alone, 3-fold cross-validation over {count} messages"]
    for table, matrix in found.values():
        assert sum(map(sum, matrix.values())) == count
        assert [table[level][2] for level in ("routine", "elevated", "urgent")] == ["8"] * 3
    (engine_table, engine), (_, rules) = found.values()
    assert engine["urgent"][2] >= rules["urgent"][2]  # the learned layer only ever raises


def test_it_cross_validates_without_django_too(tmp_path):
    path, _count = labeled(tmp_path, per_level=4)
    out = io.StringIO()
    cli.main(["--cross-validate", str(path), "--folds", "2"], stdout=out)
    assert "rules alone, 2-fold cross-validation over 12 messages" in out.getvalue()


def test_it_refuses_fewer_than_two_folds(tmp_path, capsys):
    path, _count = labeled(tmp_path, per_level=2)
    with pytest.raises(SystemExit):
        cli.main(["--cross-validate", str(path), "--folds", "1"])
    assert "at least 2" in capsys.readouterr().err


def test_it_leaves_one_set_out_when_given_several_files(tmp_path):
    examples = read_examples()
    sets = []
    for number, language in enumerate(("en", "es")):
        chosen = [e for level in ("routine", "elevated", "urgent")
                  for e in [e for e in examples if e.level == level and e.lang == language][:5]]
        path = tmp_path / f"set{number}.jsonl"
        path.write_text("".join(json.dumps({"text": e.text, "level": e.level, "lang": e.lang})
                                + "\n" for e in chosen), encoding="utf-8")
        sets.append(str(path))
    out = io.StringIO()
    call_command("triage", "--cross-validate", *sets, stdout=out)
    found = blocks(out.getvalue())
    assert list(found) == [
        "rules and learned layer, leave-one-set-out cross-validation (2 sets) over 30 messages",
        "rules alone, leave-one-set-out cross-validation (2 sets) over 30 messages"]
    for _table, matrix in found.values():
        assert sum(map(sum, matrix.values())) == 30


def test_it_trains_without_the_set_it_judges(tmp_path, monkeypatch):
    learned_from = []

    class Recording(crossval.Model):
        def __init__(self, examples, *args, **kwargs):
            learned_from.append({example.text for example in examples})
            super().__init__(examples, *args, **kwargs)

    monkeypatch.setattr(crossval, "Model", Recording)
    rows = [(f"message {n} about the week", "en", level)
            for n, level in enumerate(["routine", "urgent", "elevated"] * 4)]
    fold_of = [0] * 6 + [1] * 6
    crossval.cross_validate(rows, 2, fold_of=fold_of)
    assert learned_from == [{row[0] for row in rows[6:]}, {row[0] for row in rows[:6]}]
