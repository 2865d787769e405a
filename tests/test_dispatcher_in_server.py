"""`interlude serve` runs one dispatcher in a thread when DISPATCH_IN_SERVER is on."""

import threading
import time

import pytest
from django.test.utils import override_settings

from interlude.core.management.commands.serve import (
    DISPATCHER_SERVICE,
    BackgroundServices,
    background_services,
)
from interlude.outreach.models import Delivery, Notification
from tests import factories
from tests.dispatcher_support import add


@override_settings(DISPATCH_IN_SERVER=True)
def test_it_registers_the_dispatcher_when_asked():
    assert background_services().count(DISPATCHER_SERVICE) == 1


@override_settings(DISPATCH_IN_SERVER=False)
def test_it_leaves_the_dispatcher_out_when_dispatchers_run_on_their_own():
    assert DISPATCHER_SERVICE not in background_services()


@pytest.mark.django_db(transaction=True)
@override_settings(INTERLUDE_PLANNERS=[])
def test_the_server_thread_sends_due_deliveries_and_stops_with_the_server():
    person = factories.client(factories.clinician(factories.practice()))
    add(person.practice, "welcome:1", recipient=person.user)
    services = BackgroundServices([DISPATCHER_SERVICE])
    services.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not Notification.objects.exists():
            time.sleep(0.05)
    finally:
        stuck = services.stop()
    assert stuck == []
    assert Notification.objects.get().user_id == person.user.pk
    row = Delivery.objects.get()
    assert row.state == "sent"
    assert row.claimed_by.startswith("server-")
    assert not any(thread.is_alive() for thread in threading.enumerate()
                   if thread.name == "run_in_server")
