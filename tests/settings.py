"""The test suite runs the one settings module in development mode (local secrets under var/)."""

import os

os.environ.setdefault("INTERLUDE_MODE", "dev")

from interlude.settings import *  # noqa: E402,F403
