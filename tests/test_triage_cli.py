import io
import json
import subprocess
import sys

from django.core.management import call_command

from interlude.triage import cli


def run(lines):
    out = io.StringIO()
    call_command("triage", stdin=io.StringIO(lines), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_triages_plain_lines_from_standard_input():
    rows = run("Can we move Thursday?\n\nI want to kill myself\n")
    assert [row["level"] for row in rows] == ["routine", "urgent"]
    assert rows[1]["reasons"][0]["rule"] == "en.ideation.active"
    assert rows[1]["reasons"][0]["words"] == "kill myself"


def test_it_triages_json_lines_with_a_text_field():
    lines = json.dumps({"text": "Ya no quiero vivir", "lang": "es"}) + "\n"
    lines += json.dumps({"id": 7, "text": "I'm not suicidal, just exhausted"}) + "\n"
    rows = run(lines)
    assert [(row["level"], row["lang"]) for row in rows] == [("urgent", "es"),
                                                             ("elevated", "en")]


def labeled(tmp_path):
    path = tmp_path / "labeled.jsonl"
    rows = [("kms", "urgent"), ("This homework is killing me", "urgent"),
            ("Can we move Thursday?", "routine"), ("I stopped taking my meds", "elevated"),
            ("I want to die", "urgent")]
    path.write_text("".join(json.dumps({"text": t, "level": lv}) + "\n" for t, lv in rows))
    return path


def test_it_prints_recall_precision_and_the_confusion_matrix(tmp_path):
    out = io.StringIO()
    call_command("triage", evaluate=str(labeled(tmp_path)), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["level", "recall", "precision", "support"]
    table = {line.split()[0]: line.split()[1:] for line in lines[1:4]}
    assert table["urgent"] == ["0.667", "1.000", "3"]
    assert table["routine"] == ["1.000", "0.500", "1"]
    assert table["elevated"] == ["1.000", "1.000", "1"]
    matrix = {line.split()[0]: line.split()[1:] for line in lines[-3:]}
    assert matrix == {"routine": ["1", "0", "0"], "elevated": ["0", "1", "0"],
                      "urgent": ["1", "0", "2"]}
    assert "routine marked urgent: 0.000" in lines


def test_it_runs_as_the_interlude_triage_command(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "interlude.cli", "triage"],
                               input="kms\nsee you Tuesday\n", capture_output=True,
                               text=True, check=False, env=_env())
    assert completed.returncode == 0, completed.stderr
    levels = [json.loads(line)["level"] for line in completed.stdout.splitlines()]
    assert levels == ["urgent", "routine"]


def test_it_evaluates_without_django_too(tmp_path):
    out = io.StringIO()
    cli.main(["--evaluate", str(labeled(tmp_path))], stdout=out)
    assert "confusion matrix" in out.getvalue()


def _env():
    import os
    return {**os.environ, "INTERLUDE_MODE": "dev"}
