"""`interlude dispatch --once` sends everything due now and says how many it handled."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone

from interlude.outreach.models import Delivery
from tests import factories
from tests.dispatcher_support import add

pytestmark = pytest.mark.django_db


@override_settings(INTERLUDE_PLANNERS=[])
def test_it_sends_everything_due_batch_after_batch_and_exits():
    person = factories.client(factories.clinician(factories.practice()))
    for n in range(5):
        add(person.practice, f"k{n}", recipient=person.user)
    add(person.practice, "later", recipient=person.user,
        due_at=timezone.now() + timedelta(hours=1))
    out = StringIO()
    call_command("dispatch", "--once", "--name", "cron-1", "--batch", "2", stdout=out)
    assert "Dispatcher cron-1 handled 5 deliveries." in out.getvalue()
    assert set(Delivery.objects.exclude(idempotency_key="later")
               .values_list("state", "claimed_by")) == {("sent", "cron-1")}
    assert Delivery.objects.get(idempotency_key="later").state == "pending"


def test_it_runs_the_planners_once(settings):
    settings.INTERLUDE_PLANNERS = ["tests.test_dispatcher_command.note_planning"]
    NOTED.clear()
    call_command("dispatch", "--once", stdout=StringIO())
    assert len(NOTED) == 1


def test_a_running_dispatcher_plans_at_most_once_every_thirty_seconds(settings, monkeypatch):
    from interlude.outreach import dispatcher as module

    settings.INTERLUDE_PLANNERS = ["tests.test_dispatcher_command.note_planning"]
    NOTED.clear()
    clock = {"now": 1000.0}
    monkeypatch.setattr(module.time, "monotonic", lambda: clock["now"])
    worker = module.Dispatcher("d1")
    for step in (0, 10, 29.9, 30.1, 45, 60.2):
        clock["now"] = 1000.0 + step
        worker.plan_if_due()
    assert len(NOTED) == 3


NOTED = []


def note_planning(now):
    NOTED.append(now)
    return 0


def test_a_failing_planner_does_not_stop_the_dispatch(settings, caplog):
    settings.INTERLUDE_PLANNERS = ["tests.test_dispatcher_command.broken_planner"]
    person = factories.client(factories.clinician(factories.practice()))
    add(person.practice, "k1", recipient=person.user)
    call_command("dispatch", "--once", stdout=StringIO())
    assert Delivery.objects.get().state == "sent"
    assert "broken_planner failed: KeyError" in caplog.text
    assert "Private" not in caplog.text


def broken_planner(now):
    raise KeyError("Private planner detail")
