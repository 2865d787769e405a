"""The navigation shows the signed-in person's unread notifications, and only theirs."""

import pytest
from django.utils import timezone

from interlude.outreach.models import Notification
from interlude.outreach.templatetags.outreach_nav import UNREAD_SQL
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_plain_sql_names_the_notification_models_table_and_columns():
    table = Notification._meta.db_table
    user_column = Notification._meta.get_field("user").column
    read_column = Notification._meta.get_field("read_at").column
    assert f"FROM {table} " in UNREAD_SQL
    assert f"{user_column} = %s" in UNREAD_SQL and f"{read_column} IS NULL" in UNREAD_SQL


def test_the_badge_counts_only_the_persons_own_unread_notifications(client):
    w = f.world()
    Notification.objects.create(user=w.client.user, title="t", body="b")
    Notification.objects.create(user=w.client.user, title="t", body="b",
                                read_at=timezone.now())
    Notification.objects.create(user=w.other_client.user, title="t", body="b")
    client.force_login(w.client.user)

    page = client.get("/me/").content.decode()

    assert '<span class="badge">1</span>' in page
