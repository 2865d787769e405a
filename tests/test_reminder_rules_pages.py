"""Reminder rules: a practice admin sets the defaults on /practice/reminders/, a clinician sets a
client's own on /clients/<pk>/reminders/. Changes are audited; bad values are refused with a
clear message; nobody reaches another's rules."""

import pytest

from interlude.audit.models import AuditEvent
from interlude.outreach.models import ReminderRule
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_an_admin_adds_and_removes_a_default_reminder(client):
    w = f.world()
    f.verified_login(client, w.admin)
    assert "2 days before, 2 hours before" in client.get("/practice/reminders/").content.decode()

    response = client.post("/practice/reminders/", {"amount": "2", "unit": "days"})

    assert response.status_code == 302
    rule = ReminderRule.objects.get()
    assert (rule.practice, rule.client, rule.minutes_before) == (w.practice, None, 2880)
    event = AuditEvent.objects.get(object_type="ReminderRule", action="create")
    assert event.actor == w.admin and event.detail == {"minutes_before": 2880, "default": True}
    assert "2 days before" in client.get("/practice/reminders/").content.decode()

    response = client.post(f"/practice/reminders/{rule.pk}/remove/")

    assert response.status_code == 302
    assert not ReminderRule.objects.exists()
    assert AuditEvent.objects.filter(object_type="ReminderRule", action="delete").exists()


def test_it_refuses_a_duplicate_and_an_out_of_range_reminder(client):
    w = f.world()
    ReminderRule.objects.create(practice=w.practice, minutes_before=120)
    f.verified_login(client, w.admin)

    twice = client.post("/practice/reminders/", {"amount": "120", "unit": "minutes"})
    too_soon = client.post("/practice/reminders/", {"amount": "5", "unit": "minutes"})
    too_early = client.post("/practice/reminders/", {"amount": "15", "unit": "days"})

    assert "There is already a reminder at that time." in twice.content.decode()
    for response in (too_soon, too_early):
        assert response.status_code == 200
        assert "between 10 minutes and 14 days" in response.content.decode()
    assert list(ReminderRule.objects.values_list("minutes_before", flat=True)) == [120]


def test_a_clinician_sets_their_own_clients_reminders(client):
    w = f.world()
    ReminderRule.objects.create(practice=w.practice, minutes_before=1440)
    f.verified_login(client, w.clinician.user)
    page = client.get(f"/clients/{w.client.pk}/reminders/").content.decode()
    assert "the practice's defaults apply (1 day before)" in page

    response = client.post(f"/clients/{w.client.pk}/reminders/",
                           {"amount": "3", "unit": "hours"})

    assert response.status_code == 302
    rule = ReminderRule.objects.get(client=w.client)
    assert rule.minutes_before == 180 and rule.practice == w.practice
    event = AuditEvent.objects.get(object_type="ReminderRule")
    assert event.client_id_ref == w.client.pk and event.actor == w.clinician.user
    client.post(f"/clients/{w.client.pk}/reminders/{rule.pk}/remove/")
    assert not ReminderRule.objects.filter(client=w.client).exists()


def test_nobody_reaches_anothers_reminder_rules(client):
    w = f.world()
    mine = ReminderRule.objects.create(practice=w.practice, client=w.client, minutes_before=60)
    default = ReminderRule.objects.create(practice=w.practice, minutes_before=120)
    for user in (w.other_clinician.user, w.foreign_clinician.user, w.foreign_admin,
                 w.client.user):
        f.verified_login(client, user)
        assert client.get(f"/clients/{w.client.pk}/reminders/").status_code == 404
        assert client.post(f"/clients/{w.client.pk}/reminders/",
                           {"amount": "1", "unit": "days"}).status_code == 404
        assert client.post(
            f"/clients/{w.client.pk}/reminders/{mine.pk}/remove/").status_code == 404
        assert client.post(f"/practice/reminders/{default.pk}/remove/").status_code == 404
    for user in (w.clinician.user, w.client.user):
        f.verified_login(client, user)
        assert client.get("/practice/reminders/").status_code == 404
    assert ReminderRule.objects.count() == 2
    assert not AuditEvent.objects.filter(object_type="ReminderRule").exists()
