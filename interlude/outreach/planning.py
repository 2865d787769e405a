"""Planners turn standing rules (recurring schedules) into outbox rows a little ahead of time.

The dispatcher calls `run_planners(now)` about once a minute. Each planner must be idempotent:
it enqueues with keys that name the occurrence, so running twice, or in two dispatchers at once,
plans each message once.
"""

from importlib import import_module

from django.conf import settings


def run_planners(now):
    planned = 0
    for path in settings.INTERLUDE_PLANNERS:
        module_name, _, attr = path.rpartition(".")
        planned += getattr(import_module(module_name), attr)(now) or 0
    return planned
