"""A message for a clinician whose account is switched off would be read by nobody: instead of
the clinician's notice or digest, the practice's admins are told, without the message text,
so they can move the client to another clinician."""

import pytest

from interlude.inbox import holding
from interlude.outreach.models import Delivery
from tests import factories
from tests.inbox_staff_support import (
    MONDAY_MORNING,
    MONDAY_OPEN,
    SUNDAY_NIGHT,
    fixed_triage,  # noqa: F401 - autouse
    inbox_client,
    send,
    with_hours,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def gone():
    w = factories.world()
    with_hours(w.clinician)
    person = inbox_client(w.clinician, name="Robin Vale")
    w.clinician.user.is_active = False
    w.clinician.user.save(update_fields=["is_active"])
    return w, person


def told(user):
    return Delivery.objects.filter(recipient=user)


def test_a_message_in_hours_tells_the_admins_instead(gone):
    w, person = gone
    send(person, "Thank you for last week, it helped a lot.", MONDAY_MORNING)
    assert not told(w.clinician.user).exists()
    notice = told(w.admin).get(kind="inbox_orphan")
    assert "Robin Vale" in notice.subject and "switched off" in notice.subject
    assert "it helped a lot" not in notice.subject + notice.body
    assert not told(w.foreign_admin).exists()


def test_a_held_message_released_tells_the_admins_instead_of_a_digest(gone):
    w, person = gone
    send(person, "Thank you for last week, it helped a lot.", SUNDAY_NIGHT)
    assert holding.release_due(MONDAY_OPEN) == 1
    assert not told(w.clinician.user).filter(kind="inbox_digest").exists()
    assert told(w.admin).filter(kind="inbox_orphan").count() == 1
