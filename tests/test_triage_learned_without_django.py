"""The learned layer trains and judges in a process that never imports Django."""

import subprocess
import sys

CODE = """
import sys
from interlude.triage import assess
from interlude.triage.learned import Example, Model

model = Model([Example("everyone would be better off without me", "en", "urgent"),
               Example("I won't be a burden much longer", "en", "urgent"),
               Example("can we move Thursday to the afternoon", "en", "routine"),
               Example("I finished the worksheet this week", "en", "routine")])
result = assess("everyone would honestly be fine without me around", "en", model=model)
assert result.reasons[0].rule == "learned.similar", result
assert "django" not in sys.modules
"""


def test_it_trains_and_uses_the_learned_layer_without_django():
    completed = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                               check=False)
    assert completed.returncode == 0, completed.stderr
