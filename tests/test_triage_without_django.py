import subprocess
import sys


def test_it_imports_and_runs_without_django():
    code = ("import interlude.triage, sys; "
            "assert interlude.triage.assess('kms').level == 'urgent'; "
            "assert 'django' not in sys.modules")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=False)
    assert completed.returncode == 0, completed.stderr
