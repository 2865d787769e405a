"""The demo client Jordan's crisis route is the on-call rota, so the demo's rota must never run
out: every `make run` (`interlude demo --once`) extends it to nine weeks ahead, from where it
ends, without a gap or a second shift on the same week."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from interlude.accounts.models import Practice
from interlude.core import demo
from interlude.crisis import rota
from interlude.crisis.models import OnCallShift

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo(*args):
    call_command("demo", *args, stdout=StringIO())
    return Practice.objects.get()


def test_a_later_start_extends_the_rota_from_where_it_ends():
    practice = run_demo()
    later = timezone.now() + timedelta(days=60)
    assert rota.gaps(practice, later, later + timedelta(days=60))  # it would have run out
    demo.build_on_call_rota(practice, now=later)
    assert rota.gaps(practice, timezone.now(), later + timedelta(days=60)) == []
    for day in range(0, 120, 5):
        assert len(rota.on_duty(practice, timezone.now() + timedelta(days=day))) == 2


def test_starting_again_on_the_same_day_adds_nothing():
    practice = run_demo()
    shifts = OnCallShift.objects.filter(practice=practice).count()
    run_demo("--once")
    assert OnCallShift.objects.filter(practice=practice).count() == shifts


def test_make_run_refills_weeks_that_are_missing_at_the_end():
    practice = run_demo()
    shifts = OnCallShift.objects.filter(practice=practice)
    full = shifts.count()
    cut = timezone.now() + timedelta(weeks=4)
    shifts.filter(starts_at__gte=cut).delete()
    assert shifts.count() < full
    run_demo("--once")
    assert rota.gaps(practice, timezone.now(), timezone.now() + timedelta(weeks=8)) == []
