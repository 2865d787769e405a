"""Sending a message: the rules of the open inbox, in one place.

A client's message is triaged inside the send request. An urgent one is never held: it is
visible to the clinician at once and raises an UrgentAlert for whoever the agreement names.
Anything else goes to the clinician at once inside office hours, and is held until the next
window outside them (with one automatic reply per held batch).
"""

import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interlude import triage
from interlude.accounts.access import own_client
from interlude.agreements import availability
from interlude.audit.service import record

from . import notices
from .models import MAX_MESSAGE_LENGTH, Message, Thread

# The refusals of the inbox itself (no agreement, unsigned, channel closed); the hours only
# decide when a message is read.
CLOSED_REASONS = ("no_agreement", "not_signed", "channel_closed")


class InboxClosed(ValidationError):
    """The client's agreement does not open the inbox; `triage_result` tells if the text was
    urgent, `reason` which of CLOSED_REASONS applies."""

    def __init__(self, message, triage_result=None, reason=""):
        super().__init__(message)
        self.triage_result = triage_result
        self.reason = reason

    @property
    def urgent(self):
        return self.triage_result is not None and self.triage_result.level == "urgent"


@dataclass(frozen=True)
class SendOutcome:
    message: Message
    availability: object
    alert: object = None

    @property
    def urgent(self):
        return self.message.level == Message.Level.URGENT

    @property
    def held(self):
        return self.message.released_at is None


def normalised(text):
    """Browsers send a textarea's line breaks as CRLF; count them as one character, as the
    counter on the page does."""
    return (text or "").replace("\r\n", "\n").strip()


def clean_text(text):
    text = normalised(text)
    if not text:
        raise ValidationError(_("Write a message before sending."), code="empty")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            _("Messages are limited to %(limit)s characters; this one has %(count)s. "
              "Shorten it, or keep the rest for your next session.")
            % {"limit": f"{MAX_MESSAGE_LENGTH:,}", "count": f"{len(text):,}"}, code="too_long")
    return text


def thread_for(client):
    thread, _created = Thread.objects.get_or_create(
        client=client, clinician=client.clinician, defaults={"practice": client.practice})
    return thread


def reasons_json(result):
    return json.dumps(result.as_dict()["reasons"], ensure_ascii=False)


def reasons_of(message):
    """The triage reasons of a message as a list of dicts (empty for staff messages)."""
    return json.loads(message.triage_reasons) if message.triage_reasons else []


def send_from_client(user, text, *, at=None, request=None):
    """Triage and store a client's message; returns a SendOutcome.

    Raises ValidationError for empty or long text, InboxClosed when the agreement keeps the
    inbox closed (with the triage result, so an urgent text still leads to crisis help).
    """
    client = own_client(user)
    text = clean_text(text)
    at = at or timezone.now()
    result = triage.assess(text)
    open_now = availability.check(client, "inbox", at)
    if open_now.reason in CLOSED_REASONS:
        raise InboxClosed(_("Your agreement does not include messages to your clinician."),
                          triage_result=result, reason=open_now.reason)
    with transaction.atomic():
        message = Message.objects.create(
            thread=thread_for(client), sender=Message.Sender.CLIENT, author=user, body=text,
            created_at=at, level=result.level, triage_reasons=reasons_json(result),
            lang=result.lang)
        alert = _route(message, client, open_now, at)
        record(user, "send", "Message", message.pk, request=request, client=client,
               detail={"level": message.level, "held": message.released_at is None,
                       "urgent_alert": alert.pk if alert else None})
    return SendOutcome(message=message, availability=open_now, alert=alert)


def _route(message, client, open_now, at):
    """Release, hold or alert; returns the UrgentAlert for an urgent message."""
    from interlude.crisis import alerts

    if message.level == Message.Level.URGENT:
        _release(message, at)
        return alerts.raise_alert(message, at)
    if open_now.allowed or open_now.next_seen_at is None:
        # No office hours at all: holding would mean for ever, so the message is visible at
        # once; the compose page told the client their clinician has set no reading hours.
        _release(message, at)
        if open_now.allowed:
            notices.new_message(message)
        return None
    _hold(message, open_now.next_seen_at, at)
    return None


def _release(message, at):
    message.released_at = at
    message.save(update_fields=["released_at"])


def _hold(message, until, at):
    first_of_batch = not Message.objects.filter(
        thread=message.thread, sender=Message.Sender.CLIENT, released_at__isnull=True,
    ).exclude(pk=message.pk).exists()
    message.held_until = until
    message.save(update_fields=["held_until"])
    if first_of_batch:
        notices.auto_reply(message, until, at)


def reply(user, thread, text, *, request=None):
    """The clinician's reply. Replying is reading: the client's released messages are read."""
    text = clean_text(text)
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            thread=thread, sender=Message.Sender.CLINICIAN, author=user, body=text,
            created_at=now, released_at=now)
        mark_read(thread, now)
        notices.reply_to_client(message)
        record(user, "reply", "Message", message.pk, request=request, client=thread.client)
    return message


def mark_read(thread, at):
    return (Message.objects.filter(thread=thread, sender=Message.Sender.CLIENT,
                                   released_at__isnull=False, read_at__isnull=True)
            .update(read_at=at))
