"""Sending a message: the rules of the open inbox, in one place.

A client's message is triaged inside the send request. An urgent one is never held: it is
visible to the clinician at once and raises an UrgentAlert for whoever the agreement names.
Anything else goes to the clinician at once inside office hours, and is held until the next
window outside them (with one automatic reply per held batch).
"""

import json
import logging
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

log = logging.getLogger(__name__)
# The refusals of the inbox itself (no agreement, unsigned, channel closed); the hours only
# decide when a message is read.
CLOSED_REASONS = ("no_agreement", "not_signed", "channel_closed")
# The most of a message that is read and kept: ten times the cap, which urgent messages may
# pass (refusing one for its length would drop it).
HARD_LIMIT = 10 * MAX_MESSAGE_LENGTH


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


def clean_text(text, *, urgent=False):
    """The text to store; ValidationError when empty or, unless urgent, over the cap.

    An urgent message is never refused for its length: refusing it would drop it."""
    text = normalised(text)
    if not text:
        raise ValidationError(_("Write a message before sending."), code="empty")
    if len(text) > MAX_MESSAGE_LENGTH and not urgent:
        raise ValidationError(
            _("Messages are limited to %(limit)s characters; this one has %(count)s. "
              "Shorten it, or keep the rest for your next session.")
            % {"limit": f"{MAX_MESSAGE_LENGTH:,}", "count": f"{len(text):,}"}, code="too_long")
    return text


def assess_safely(text):
    """Triage that never fails the send: an engine error counts as urgent, as the guideline
    says to choose the higher level when unsure."""
    try:
        return triage.assess(text)
    except Exception as exc:  # noqa: BLE001 - a broken engine must not lose a message
        log.error("triage failed (%s); the message is treated as urgent", type(exc).__name__)
        reason = triage.Reason(rule="engine_error", category="engine", level="urgent",
                               words="", clause="")
        return triage.TriageResult(level="urgent", reasons=[reason])


def crisis_route_open(client):
    """Whether the agreement in force for crises names someone (clinician or on-call rota)."""
    agreement = availability.crisis_agreement(client)
    return agreement is not None and agreement.crisis_route != agreement.CrisisRoute.RESOURCES


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

    Raises ValidationError for an empty text or a long one that is not urgent, InboxClosed
    when the agreement keeps the inbox closed and names nobody for crises (with the triage
    result, so an urgent text still leads to crisis help). An urgent message is committed
    before its alert is raised, so a failure while alerting never loses it.
    """
    client = own_client(user)
    at = at or timezone.now()
    # Beyond the hard limit nobody writes a message; the cut keeps triage's time bounded.
    text = normalised(text)[:HARD_LIMIT]
    result = assess_safely(text)
    urgent = result.level == Message.Level.URGENT
    text = clean_text(text, urgent=urgent)
    open_now = availability.check(client, "inbox", at)
    if open_now.reason in CLOSED_REASONS and not (urgent and crisis_route_open(client)):
        _refuse(user, client, open_now.reason, result, request, at)
    with transaction.atomic():
        message = Message.objects.create(
            thread=thread_for(client), sender=Message.Sender.CLIENT, author=user, body=text,
            created_at=at, level=result.level, triage_reasons=reasons_json(result),
            lang=result.lang)
        if urgent:
            _release(message, at)
        else:
            _route(message, open_now, at)
        record(user, "send", "Message", message.pk, request=request, client=client,
               detail={"level": message.level, "held": message.released_at is None})
    alert = _alert(message, at) if urgent else None
    return SendOutcome(message=message, availability=open_now, alert=alert)


def _refuse(user, client, reason, result, request, at):
    """A closed inbox. An urgent text is not stored (no channel was agreed), but the attempt
    is audited, without its words, so it counts in the client's risk history, and the
    clinician is told in their office hours that the client tried."""
    if result.level == Message.Level.URGENT:
        event = record(user, "urgent_not_sent", "Client", client.pk, request=request,
                       client=client, detail={"reason": reason})
        notices.urgent_not_sent(client, at, event.pk)
    raise InboxClosed(_("Your agreement does not include messages to your clinician."),
                      triage_result=result, reason=reason)


def _alert(message, at):
    """Raise the alert of a committed urgent message. If that fails, the message is pinned
    and the dispatcher's planner raises the alert on its next pass."""
    from interlude.crisis import alerts

    try:
        with transaction.atomic():
            return alerts.raise_alert(message, at)
    except Exception as exc:  # noqa: BLE001 - the message is stored; the planner retries
        from interlude.crisis.models import UrgentAlert

        raised = UrgentAlert.objects.filter(message=message).first()
        if raised is not None:  # the planner raised it first
            return raised
        log.error("raising the alert for message %s failed (%s); the planner will retry",
                  message.pk, type(exc).__name__)
        Message.objects.filter(pk=message.pk, pinned_at__isnull=True).update(pinned_at=at)
        return None


def _route(message, open_now, at):
    """Release a routine or elevated message (with a notice in hours), or hold it."""
    if open_now.allowed or open_now.next_seen_at is None:
        # No office hours at all: holding would mean for ever, so the message is visible at
        # once; the compose page told the client their clinician has set no reading hours.
        _release(message, at)
        if open_now.allowed:
            notices.new_message(message)
        return
    _hold(message, open_now.next_seen_at, at)


def _release(message, at):
    message.released_at = at
    message.save(update_fields=["released_at"])


def _hold(message, until, at):
    # The thread row is locked so two messages sent at once cannot both start a batch.
    Thread.objects.select_for_update().filter(pk=message.thread_id).first()
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
