"""Replies to text messages: confirm, cancel or stop by keyword.

The provider (Twilio, or one that signs the same way) POSTs each incoming text to
/sms/inbound/, signed with `X-Twilio-Signature` over the public URL (SITE_URL + path) and the
form fields. An unsigned or badly signed request changes nothing and answers 403; it is logged
with the caller's address only, not written to the audit trail, so a flood of forged requests
cannot flood the trail.

Keywords (case, surrounding spaces, full stops and exclamation marks ignored; SI and SÍ both):
    C, CONFIRM, YES, SI, SÍ              confirm the client's next appointment
    X, CANCEL, CANCELAR                  cancel it
    STOP (and STOPALL, UNSUBSCRIBE, END, QUIT, which carriers also treat as opting out)
                                         no more text messages: "sms" leaves the client's channels
Anything else gets an answer that nobody reads texts sent to this number, where to write
instead, and the crisis lines of the client's jurisdiction.

Twilio's default opt-out keywords include CANCEL: a practice using Twilio should take CANCEL
out of its opt-out keywords (Advanced Opt-Out), or tell clients to reply X, or a client who
replies CANCEL will also be opted out of texts by Twilio itself.

The sender is matched by the client's phone number, compared as digits with an optional
leading "+"; a number stored without its country code matches the end of the sender's number.
An unknown number, or one shared by several clients, gets a general answer and changes nothing.

A reply is recorded in the audit trail under the provider's MessageSid (never its text), and a
MessageSid already recorded is not acted on again, so a provider's retry of the same webhook
cannot cancel a second appointment.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from interlude.accounts.models import Client
from interlude.audit.models import AuditEvent
from interlude.audit.service import record
from interlude.crisis.resources import resources_for

from . import reminders
from .models import Appointment, PracticeChannels

log = logging.getLogger(__name__)

CONFIRM, CANCEL, STOP, OTHER = "confirm", "cancel", "stop", "other"
KEYWORDS = {
    "c": CONFIRM, "confirm": CONFIRM, "yes": CONFIRM, "si": CONFIRM, "sí": CONFIRM,
    "x": CANCEL, "cancel": CANCEL, "cancelar": CANCEL,
    "stop": STOP, "stopall": STOP, "unsubscribe": STOP, "end": STOP, "quit": STOP,
}
REPLY_EVENT = "sms_reply"
# Characters people and phones put inside numbers; removed in the database before comparing.
PHONE_SEPARATORS = (" ", "-", "(", ")", ".")
# A number shorter than this is too ambiguous to match as the end of another.
MIN_LOCAL_DIGITS = 7


@dataclass(frozen=True)
class InboundText:
    sender: str
    receiver: str
    text: str
    message_sid: str


def keyword_action(text):
    word = (text or "").strip().strip(".!¡").strip().casefold()
    return KEYWORDS.get(word, OTHER)


def normalise_phone(value):
    """Digits only, keeping one leading '+': '+1 (555) 123-4567' -> '+15551234567'."""
    value = (value or "").strip()
    digits = re.sub(r"\D", "", value)
    return f"+{digits}" if value.startswith("+") and digits else digits


def signature_is_valid(request):
    token = settings.SMS_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    url = settings.SITE_URL.rstrip("/") + request.get_full_path()
    return RequestValidator(token).validate(url, request.POST, signature)


def _normalised_phone_column():
    expression = "phone"
    for separator in PHONE_SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def _same_number(stored, sender):
    if stored == sender:
        return True
    # A number kept without its country code ("5551234567") matches "+15551234567".
    return (not stored.startswith("+") and len(stored) >= MIN_LOCAL_DIGITS
            and sender.lstrip("+").endswith(stored))


def _practices_for(receiver):
    """The practices whose own number received the text, or None when none claims it."""
    receiver = normalise_phone(receiver)
    if not receiver:
        return None
    rows = PracticeChannels.objects.exclude(sms_from="").values_list("practice_id", "sms_from")
    ids = [pk for pk, number in rows if normalise_phone(number) == receiver]
    return ids or None


def find_client(sender, receiver=""):
    """The one active client with this phone number, or None (unknown or shared number)."""
    sender = normalise_phone(sender)
    if len(sender.lstrip("+")) < MIN_LOCAL_DIGITS:
        return None
    candidates = (Client.objects.filter(is_active=True).exclude(phone="")
                  .annotate(phone_digits=_normalised_phone_column())
                  .filter(phone_digits__endswith=sender[-MIN_LOCAL_DIGITS:])
                  .select_related("user", "clinician", "practice"))
    practice_ids = _practices_for(receiver)
    if practice_ids is not None:
        candidates = candidates.filter(practice_id__in=practice_ids)
    matches = [c for c in candidates if _same_number(normalise_phone(c.phone), sender)]
    if len(matches) != 1:
        if matches:
            log.info("sms inbound: number shared by %d clients, nothing done", len(matches))
        return None
    return matches[0]


def next_appointment(client):
    return (Appointment.objects
            .filter(client=client, start__gt=timezone.now(),
                    status__in=[Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED])
            .select_related("clinician").order_by("start").first())


def crisis_text(client):
    """Two crisis lines of the client's jurisdiction that take a call (a crisis line and the
    emergency number, where the data has both), in the active language."""
    lines = resources_for(client.country if client else "", client.region if client else "")
    reachable = [r for r in lines if r.phone][:2] or lines[:1]
    return " ".join(f"{r.name}: {r.how.rstrip('.')}." + ("" if r.phone or r.text
                                                          else f" {r.url}")
                    for r in reachable)


def app_url():
    return settings.SITE_URL.rstrip("/") + "/"


def _when(client, appointment):
    # The reminders' wording of a day and a time, so Spanish reads "martes 5 de marzo".
    day, clock = reminders.local_words(appointment.start, client.time_zone,
                                       client.user.preferred_language)
    return f"{day}, {clock}"


# --- what each keyword does -------------------------------------------------------------------

def _confirm(client, appointment, request):
    from .appointments import confirm_appointment

    confirm_appointment(client.user, appointment, via="sms", request=request)
    return _("Thank you: your appointment on %(when)s is confirmed.") % {
        "when": _when(client, appointment)}


def _cancel(client, appointment, request):
    from .appointments import cancel_appointment

    cancel_appointment(client.user, appointment, via="sms", request=request)
    return _("Your appointment on %(when)s is cancelled and %(clinician)s has been told. "
             "To book another time, use the app: %(url)s") % {
        "when": _when(client, appointment), "clinician": appointment.clinician.display_name,
        "url": app_url()}


def _change_appointment(client, action, request):
    appointment = next_appointment(client)
    if appointment is None:
        return _("You have no upcoming appointment. To see your appointments, use the app: "
                 "%(url)s") % {"url": app_url()}
    change = _confirm if action == CONFIRM else _cancel
    try:
        with transaction.atomic():
            return change(client, appointment, request)
    except ValidationError as refusal:
        log.info("sms inbound: %s refused for appointment %s", action, appointment.pk)
        return _("%(reason)s To see your appointments, use the app: %(url)s") % {
            "reason": " ".join(refusal.messages), "url": app_url()}
    except (PermissionDenied, Http404):
        log.warning("sms inbound: %s not allowed for appointment %s", action, appointment.pk)
        return _("This appointment cannot be changed by text message. Please use the app: "
                 "%(url)s") % {"url": app_url()}


def _stop(client, request):
    channels = [c for c in (client.preferred_channels or []) if c != "sms"]
    if channels != client.preferred_channels:
        client.preferred_channels = channels
        client.save(update_fields=["preferred_channels"])
    record(client.user, "sms_opt_out", "client", client.pk, request=request, client=client,
           detail={"via": "sms"})
    return _("You will get no more text messages from us. You can turn them back on in your "
             "profile in the app.")


def _other(client):
    return _("Nobody reads text messages sent to this number. To write to %(clinician)s, use "
             "the app: %(url)s. If you are in danger or thinking of harming yourself: "
             "%(crisis)s") % {"clinician": client.clinician.display_name, "url": app_url(),
                              "crisis": crisis_text(client)}


def unknown_sender_reply():
    return _("This number only sends reminders and cannot read replies. If you are in danger, "
             "call your local emergency number.")


class _AlreadyHandled(Exception):
    pass


def _claim_message(client, action, message, request):
    """Record this reply; raise _AlreadyHandled when its MessageSid was recorded before.

    The audit write locks the head of the trail first, so two deliveries of the same webhook
    are serialised and the second sees the first's event."""
    event = record(client.user, REPLY_EVENT, "sms_message", message.message_sid,
                   request=request, client=client, detail={"action": action})
    if message.message_sid and AuditEvent.objects.filter(
            object_type="sms_message", object_id=message.message_sid,
            action=REPLY_EVENT).filter(~Q(pk=event.pk)).exists():
        raise _AlreadyHandled


def _act(client, action, request):
    if action in (CONFIRM, CANCEL):
        return _change_appointment(client, action, request)
    if action == STOP:
        return _stop(client, request)
    return _other(client)


def handle(message, request=None):
    """Act on one incoming text; return the answer to send back, in the client's language."""
    client = find_client(message.sender, message.receiver)
    if client is None:
        return unknown_sender_reply()
    action = keyword_action(message.text)
    with translation.override(client.user.preferred_language or settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                _claim_message(client, action, message, request)
                answer = _act(client, action, request)
        except _AlreadyHandled:
            log.info("sms inbound: message already handled, nothing done")
            return _("We already have your reply. Thank you.")
        log.info("sms inbound: %s from client %s", action, client.pk)
        return answer


def twiml(text):
    response = MessagingResponse()
    response.message(str(text))
    return str(response)
