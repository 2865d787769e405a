"""In development, the secret key and the encryption key are made on first start and kept under
var/. Processes that start together on a fresh checkout (the server and its dispatcher, or
parallel test workers) must all end up with the one key on disk: a second key would make what
one process encrypted unreadable to the other."""

import json
import os
import stat
import subprocess
import sys

SHOW = """
import json
from interlude import settings as s
print(json.dumps({"secret_key": s.SECRET_KEY, "keys": s.ENCRYPTION_KEYS_RAW}))
"""


def dev_env(var_dir):
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "ENCRYPTION_KEYS", "DJANGO_SETTINGS_MODULE")}
    env.update(INTERLUDE_MODE="dev", INTERLUDE_VAR_DIR=str(var_dir))
    return env


def test_processes_starting_together_share_the_keys_written_on_disk(tmp_path):
    var_dir = tmp_path / "var"
    starting = [subprocess.Popen([sys.executable, "-c", SHOW], env=dev_env(var_dir),
                                 stdout=subprocess.PIPE, text=True) for _ in range(6)]
    seen = [json.loads(process.communicate(timeout=60)[0]) for process in starting]

    on_disk = {"secret_key": (var_dir / "secret_key").read_text().strip(),
               "keys": (var_dir / "encryption_keys").read_text().strip()}
    assert on_disk["secret_key"] and on_disk["keys"]
    assert all(keys == on_disk for keys in seen)


def test_the_keys_are_readable_by_their_owner_only_and_no_scratch_file_is_left(tmp_path):
    var_dir = tmp_path / "var"
    subprocess.run([sys.executable, "-c", SHOW], env=dev_env(var_dir), check=True,
                   capture_output=True)
    files = [path for path in var_dir.iterdir() if path.is_file()]
    assert sorted(path.name for path in files) == ["encryption_keys", "secret_key"]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_key_already_on_disk_is_kept(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    (var_dir / "secret_key").write_text("kept-from-an-earlier-start\n")
    shown = subprocess.run([sys.executable, "-c", SHOW], env=dev_env(var_dir), check=True,
                           capture_output=True, text=True).stdout
    assert json.loads(shown)["secret_key"] == "kept-from-an-earlier-start"
