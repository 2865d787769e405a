"""Channels send one delivery each. A channel raises `TemporaryFailure` for what a retry may
fix (a refused connection, a 4xx answer) and `PermanentFailure` for what it will not (no
address, a 5xx refusal of the recipient).

A channel may also have `open()` and `close()`: the dispatcher calls them around each batch so
a channel can reuse one connection for every message of the batch.

Which channels a practice has is `PracticeChannels` (in-app always; email on and SMS off by
default). Asking for a channel the practice has not enabled raises `ChannelUnavailable` with a
message a person can act on: a configuration error, never a silent drop.
"""

from importlib import import_module

from django.conf import settings
from django.utils.translation import gettext as _


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


class ChannelUnavailable(Exception):
    """The practice has not configured this channel: a configuration error, never a silent drop."""


def practice_channels(practice):
    """The practice's channel switches, created with the defaults the first time they are asked."""
    from interlude.outreach.models import PracticeChannels

    practice_id = getattr(practice, "pk", practice)
    row, _created = PracticeChannels.objects.get_or_create(practice_id=practice_id)
    return row


def sms_configured():
    return bool(settings.SMS_ACCOUNT_SID and settings.SMS_AUTH_TOKEN)


def enabled_on(switches, name):
    """Whether a practice with these `PracticeChannels` switches may use channel `name`."""
    if name == "in_app":
        return True
    if name == "email":
        return switches.email_enabled
    if name == "sms":
        return switches.sms_enabled
    return False


def require_channel(practice, name):
    """Raise ChannelUnavailable unless `practice` may send through channel `name`."""
    if name not in settings.INTERLUDE_CHANNELS:
        raise ChannelUnavailable(_("There is no channel called “%(name)s”.") % {"name": name})
    if name == "in_app":
        return
    if not enabled_on(practice_channels(practice), name):
        raise ChannelUnavailable(
            _("This practice has not enabled the “%(name)s” channel; a practice admin can "
              "enable it, or choose another channel.") % {"name": name})
    if name == "sms" and not sms_configured():
        raise ChannelUnavailable(
            _("Text messages are enabled but the server has no SMS account: set "
              "SMS_ACCOUNT_SID and SMS_AUTH_TOKEN."))


def get_channel(name, practice=None):
    """A channel instance by name; with `practice`, only if the practice has enabled it."""
    if practice is not None:
        require_channel(practice, name)
    path = settings.INTERLUDE_CHANNELS.get(name)
    if path is None:
        raise ChannelUnavailable(f"no channel named {name!r}")
    module_name, _dot, attr = path.rpartition(".")
    return getattr(import_module(module_name), attr)()
