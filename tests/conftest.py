import os

os.environ.setdefault("INTERLUDE_MODE", "dev")
