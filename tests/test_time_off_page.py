"""A clinician adds time off in their own time zone and deletes it; both are audited, and
nobody else can delete it."""

from datetime import UTC, datetime

import pytest

from interlude.agreements.models import TimeOff
from interlude.audit.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def add(django_client, **fields):
    data = {"form": "time_off", "off-kind": "vacation", "off-label": ""}
    data.update({f"off-{key}": value for key, value in fields.items()})
    return django_client.post("/hours/", data)


def time_off_for(clinician, starts=datetime(2030, 7, 1, 16, tzinfo=UTC),
                 ends=datetime(2030, 7, 8, 16, tzinfo=UTC)):
    return TimeOff.objects.create(clinician=clinician, starts_at=starts, ends_at=ends,
                                  kind="vacation", label="Summer")


def test_it_adds_time_off_in_the_clinicians_zone_and_audits_it(client):
    w = f.world()  # the clinician works in America/Los_Angeles (UTC-7 in July)
    f.verified_login(client, w.clinician.user)

    response = add(client, starts_at="2030-07-01T09:00", ends_at="2030-07-05T17:00",
                   kind="unplugged", label="Retreat")

    assert response.status_code == 302
    row = TimeOff.objects.get(clinician=w.clinician)
    assert row.starts_at == datetime(2030, 7, 1, 16, tzinfo=UTC)
    assert row.ends_at == datetime(2030, 7, 6, 0, tzinfo=UTC)
    assert (row.kind, row.label) == ("unplugged", "Retreat")
    event = AuditEvent.objects.get(action="create", object_type="TimeOff")
    assert event.actor == w.clinician.user and event.object_id == str(row.pk)
    page = client.get("/hours/").content.decode()
    assert "Mon 1 Jul 2030, 09:00" in page
    assert "Retreat" in page


def test_it_refuses_time_off_that_ends_before_it_starts_and_keeps_the_input(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)

    response = add(client, starts_at="2030-07-05T09:00", ends_at="2030-07-01T09:00",
                   label="Backwards")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Time off must end after it starts." in content
    assert 'value="2030-07-05T09:00"' in content and 'value="Backwards"' in content
    assert not TimeOff.objects.exists()
    assert not AuditEvent.objects.filter(object_type="TimeOff").exists()


def test_it_refuses_a_time_the_clock_skips(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)

    # 02:30 on 9 March 2031 never happens in Los Angeles: the clock jumps from 02:00 to 03:00.
    response = add(client, starts_at="2031-03-09T02:30", ends_at="2031-03-10T09:00")

    assert response.status_code == 200
    assert "America/Los_Angeles" in response.context["time_off_form"].errors["starts_at"][0]
    assert not TimeOff.objects.exists()


def test_it_deletes_the_clinicians_own_time_off_and_audits_it(client):
    w = f.world()
    row = time_off_for(w.clinician)
    f.verified_login(client, w.clinician.user)

    response = client.post(f"/hours/time-off/{row.pk}/delete/")

    assert response.status_code == 302
    assert not TimeOff.objects.filter(pk=row.pk).exists()
    event = AuditEvent.objects.get(action="delete", object_type="TimeOff")
    assert event.actor == w.clinician.user and event.object_id == str(row.pk)


@pytest.mark.parametrize("owner", ["other_clinician", "foreign_clinician"])
def test_it_refuses_to_delete_someone_elses_time_off(client, owner):
    w = f.world()
    row = time_off_for(getattr(w, owner))
    f.verified_login(client, w.clinician.user)

    response = client.post(f"/hours/time-off/{row.pk}/delete/")

    assert response.status_code == 404
    assert TimeOff.objects.filter(pk=row.pk).exists()
    assert not AuditEvent.objects.filter(object_type="TimeOff").exists()


@pytest.mark.parametrize("who", ["admin", "foreign_admin", "client"])
def test_it_refuses_admins_and_clients(client, who):
    w = f.world()
    row = time_off_for(w.clinician)
    user = getattr(w, who)
    user = getattr(user, "user", user)
    if user.is_practice_staff:
        f.verified_login(client, user)
    else:
        client.force_login(user)

    deleted = client.post(f"/hours/time-off/{row.pk}/delete/")
    added = add(client, starts_at="2030-08-01T09:00", ends_at="2030-08-02T09:00")

    assert deleted.status_code == 404
    assert added.status_code == 404
    assert list(TimeOff.objects.all()) == [row]


def test_it_deletes_only_by_post(client):
    w = f.world()
    row = time_off_for(w.clinician)
    f.verified_login(client, w.clinician.user)

    response = client.get(f"/hours/time-off/{row.pk}/delete/")

    assert response.status_code == 405
    assert TimeOff.objects.filter(pk=row.pk).exists()
