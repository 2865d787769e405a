"""Planners turn standing rules (recurring schedules) into outbox rows a little ahead of time.

The dispatcher calls `run_planners(now)` about once a minute. Each planner must be idempotent:
it enqueues with keys that name the occurrence, so running twice, or in two dispatchers at once,
plans each message once.
"""

import logging
from importlib import import_module

from django.conf import settings

log = logging.getLogger(__name__)


def run_planners(now):
    """Run every planner in order; one that fails is logged and the others still run, so a
    broken schedule can never stop urgent alerts from escalating."""
    planned = 0
    for path in settings.INTERLUDE_PLANNERS:
        module_name, _, attr = path.rpartition(".")
        try:
            planned += getattr(import_module(module_name), attr)(now) or 0
        except Exception as exc:  # noqa: BLE001 - see the docstring
            log.error("planner %s failed: %s", path, type(exc).__name__)
    return planned
