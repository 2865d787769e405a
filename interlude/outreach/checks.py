"""Start-up checks: a channel a practice has switched on must be usable, or the server says so
before it starts (a missing channel is an error at start-up, never a silent drop).

The check reads PracticeChannels, so it tolerates a database that is not there yet (before
`migrate`, or in a test run before the test database exists): then there is nothing to check.
"""

from django.conf import settings
from django.core.checks import Error, register
from django.db import DatabaseError


@register()
def sms_needs_an_account(app_configs, **kwargs):
    if settings.SMS_ACCOUNT_SID and settings.SMS_AUTH_TOKEN:
        return []
    from .models import PracticeChannels

    try:
        names = list(PracticeChannels.objects.filter(sms_enabled=True)
                     .values_list("practice__name", flat=True)[:5])
    except DatabaseError:  # no table yet (before migrate), or no database at all
        return []
    if not names:
        return []
    return [Error(
        "Text messages are enabled for " + ", ".join(names) + " but the server has no SMS "
        "account.",
        hint="Set SMS_ACCOUNT_SID and SMS_AUTH_TOKEN (or their _FILE variants), or switch SMS "
             "off for these practices.",
        id="outreach.E001")]
