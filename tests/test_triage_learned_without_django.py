import subprocess
import sys


def test_it_trains_and_uses_the_learned_layer_without_django():
    code = ("import sys; from interlude.triage import assess; "
            "result = assess('everyone would honestly be fine without me around'); "
            "assert result.reasons[0].rule == 'learned.similar', result; "
            "assert 'django' not in sys.modules")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=False)
    assert completed.returncode == 0, completed.stderr
