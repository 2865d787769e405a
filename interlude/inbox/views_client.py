"""The client's messages: the thread with what to expect before sending, sending, and the
screen that follows a message (the crisis screen when the message was urgent).

Every page starts from `own_client`, so anyone who is not a client gets 404, and a client can
only reach their own messages. The pages show clinical text, so each read is audited and no
cache may keep them.
"""

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from interlude.accounts.access import own_client
from interlude.accounts.services import jurisdiction_label
from interlude.agreements import availability
from interlude.audit.service import record
from interlude.crisis.models import UrgentAlert
from interlude.crisis.resources import resources_for
from interlude.crisis.safety_plans import plan_for_crisis_page

from . import agenda, expectations, notices, services
from .models import MAX_MESSAGE_LENGTH, Message

log = logging.getLogger(__name__)
THREAD_LIMIT = 30  # more behind an "Earlier messages" link: each row is decrypted


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def crisis_context(client):
    return {"resources": resources_for(client.country, client.region),
            "place": jurisdiction_label(client.country, client.region)}


# --- the thread -----------------------------------------------------------------------------

def recent_messages(client, before=None):
    """The client's last THREAD_LIMIT messages (before message `before`, if given), oldest
    first, and whether there are earlier ones."""
    rows = (Message.objects.filter(thread__client=client)
            .select_related("thread__clinician", "agenda_item__appointment")
            .order_by("-created_at", "-pk"))
    if before is not None:
        rows = rows.filter(pk__lt=before)
    rows = list(rows[:THREAD_LIMIT + 1])
    return list(reversed(rows[:THREAD_LIMIT])), len(rows) > THREAD_LIMIT


def kept_line(message, zone):
    """"Kept for your next session on ..." when the clinician put the message on the agenda."""
    item = getattr(message, "agenda_item", None)
    if item is None:
        return ""
    if item.appointment is None or item.appointment.status in agenda.GONE:
        # The session it was kept for will not happen: it waits for the next one.
        return _("Kept for your next session")
    day, _at = expectations.day_and_time(item.appointment.start, zone)
    return _("Kept for your next session on %(day)s") % {"day": day}


def who_wrote(message):
    if message.sender == Message.Sender.CLIENT:
        return _("You")
    if message.sender == Message.Sender.SYSTEM:
        return _("Automatic reply")
    return message.thread.clinician.display_name


def message_row(message, zone):
    day, at_time = expectations.day_and_time(message.created_at, zone)
    row = {"pk": message.pk, "mine": message.sender == Message.Sender.CLIENT,
           "system": message.sender == Message.Sender.SYSTEM, "who": who_wrote(message),
           "when": f"{day} {at_time}", "body": message.body, "waiting": "",
           "kept": kept_line(message, zone)}
    if message.is_held:
        name = message.thread.clinician.display_name
        row["waiting"] = _("Waiting for %(name)s's hours") % {"name": name}
        if message.held_until:
            row["waiting"] = expectations.held_sentence(name, message.held_until, zone)
    return row


def before_of(request):
    value = request.GET.get("before", "")
    return int(value) if value.isdigit() else None


def read_thread(request, client):
    """The rows of the client's thread and the link to earlier ones; reading them is
    recorded in the audit trail."""
    messages, more = recent_messages(client, before_of(request))
    with transaction.atomic():
        record(request.user, "view", "Thread", messages[0].thread_id if messages else "",
               request=request, client=client, detail={"messages": len(messages)})
    return {"rows": [message_row(m, client.time_zone) for m in messages],
            "earlier": messages[0].pk if more else None}


# --- pages ----------------------------------------------------------------------------------

def counter_words(count):
    """The counter under the text box; the script fills in {count} as the client types."""
    limit = f"{MAX_MESSAGE_LENGTH:,}"
    within = _("%(count)s of %(limit)s characters") % {"count": "{count}", "limit": limit}
    over = _("%(count)s of %(limit)s characters: too long. Shorten it before sending.") % {
        "count": "{count}", "limit": limit}
    now = (over if count > MAX_MESSAGE_LENGTH else within).replace("{count}", f"{count:,}")
    return {"within": within, "over": over, "now": now, "over_now": count > MAX_MESSAGE_LENGTH}


def closed_page(request, client, agreement, reason, *, refused=False, status=200):
    """What the client can use instead of messages, never an error page."""
    name = (agreement.clinician if agreement is not None else client.clinician).display_name
    signed = reason not in ("no_agreement", "not_signed")
    return _private(render(request, "inbox/client_closed.html", {
        "client": client, "reason": reason, "refused": refused,
        "closed_sentence": expectations.closed_sentence(reason, name),
        "self_help_open": signed and agreement.self_help_open,
        **read_thread(request, client), **crisis_context(client),
    }, status=status))


def compose_page(request, client, *, text="", error="", status=200):
    agreement = availability.current_agreement(client)
    answer = availability.check(client, "inbox")
    if answer.reason in services.CLOSED_REASONS:
        return closed_page(request, client, agreement, answer.reason,
                           refused=request.method == "POST", status=status)
    return _private(render(request, "inbox/client_messages.html", {
        "client": client, **read_thread(request, client),
        "expectation": expectations.expectation_for(client, agreement, answer),
        "clinician_name": client.clinician.display_name, "text": text, "error": error,
        "limit": MAX_MESSAGE_LENGTH, "limit_words": f"{MAX_MESSAGE_LENGTH:,}",
        "counter": counter_words(len(services.normalised(text))),
    }, status=status))


def closed_crisis_page(request, client, reason):
    """An urgent text that could not be sent: the crisis screen straight away."""
    agreement = availability.current_agreement(client)
    name = (agreement.clinician if agreement is not None else client.clinician).display_name
    plan = plan_for_crisis_page(request.user, client, request=request)
    return _private(render(request, "inbox/client_crisis_next.html", {
        "client": client, "plan": plan, "not_sent": True, "reason": reason,
        "not_sent_sentence": expectations.not_sent_sentence(reason, name),
        "closed_sentence": expectations.closed_sentence(reason, name),
        **crisis_context(client)}))


@login_required
@require_http_methods(["GET", "POST"])
def my_messages(request):
    client = own_client(request.user)
    if request.method == "GET":
        return compose_page(request, client)
    text = request.POST.get("body", "")
    try:
        outcome = services.send_from_client(request.user, text, request=request)
    except services.InboxClosed as closed:
        if closed.urgent:
            return closed_crisis_page(request, client, closed.reason)
        return compose_page(request, client, status=400)
    except ValidationError as invalid:
        return compose_page(request, client, text=text, error=invalid.messages[0], status=400)
    except Exception as exc:  # noqa: BLE001 - whatever broke, the client gets crisis help
        log.error("sending a message failed: %s", type(exc).__name__)
        return send_failed_page(request, client)
    return redirect("message_sent", pk=outcome.message.pk)


def send_failed_page(request, client):
    """Sending failed on our side: say so, and put the crisis lines and the plan first, since
    the message may have been urgent."""
    try:
        plan = plan_for_crisis_page(request.user, client, request=request)
    except Exception:  # noqa: BLE001 - the crisis lines must show even if the plan cannot
        plan = None
    return _private(render(request, "inbox/client_crisis_next.html", {
        "client": client, "plan": plan, "not_sent": True,
        "not_sent_sentence": _("Your message could not be sent because of a problem on our "
                               "side. Please try again in a few minutes."),
        **crisis_context(client)}, status=503))


# --- after sending --------------------------------------------------------------------------

def routed_sentence(alert, clinician_name):
    """Who has the urgent message now, promising no time the agreement does not promise."""
    if alert.state == UrgentAlert.State.ACKNOWLEDGED:
        return _("Your message has been seen, and someone from the practice is taking care of "
                 "it. They will contact you as soon as they can.")
    if alert.route == "on_call":
        who = _("the clinician on call")
    else:
        who = _("your clinician, %(name)s") % {"name": clinician_name}
    return _("Your message has been sent to %(who)s now. They will contact you as soon as "
             "they can, but it may not be straight away.") % {"who": who}


def urgent_context(request, client, message):
    alert = UrgentAlert.objects.filter(message=message).first()
    # No alert or nobody on duty: the client hears plainly that nobody is reading it now.
    unrouted = alert is None or alert.state == UrgentAlert.State.UNROUTED
    name = message.thread.clinician.display_name
    return {"plan": plan_for_crisis_page(request.user, client, request=request),
            "unrouted": unrouted, "clinician_name": name,
            "routed_sentence": "" if unrouted else routed_sentence(alert, name),
            **crisis_context(client)}


def held_context(client, message):
    name = message.thread.clinician.display_name
    return {"held_sentence": expectations.held_sentence(name, message.held_until,
                                                        client.time_zone),
            "auto_reply": notices.auto_reply_text(message, message.held_until)}


def delivered_context(client):
    agreement = availability.current_agreement(client)
    if agreement is None:
        return {}
    facts = expectations.facts_for(client, agreement)
    return {"promise": facts.inbox_promise, "answer": expectations.answer_sentence(facts),
            "reply": expectations.reply_sentence(facts)}


@login_required
@require_GET
def message_sent(request, pk):
    client = own_client(request.user)
    message = get_object_or_404(
        Message.objects.select_related("thread__clinician").defer("body", "triage_reasons"),
        pk=pk, thread__client=client, sender=Message.Sender.CLIENT)
    context = {"client": client, "message": message,
               "clinician_name": message.thread.clinician.display_name}
    urgent = message.level == Message.Level.URGENT
    with transaction.atomic():
        record(request.user, "view", "Message", message.pk, request=request, client=client,
               detail={"page": "sent", "level": message.level})
        if urgent:
            context.update(urgent_context(request, client, message))
    if urgent:
        return _private(render(request, "inbox/client_crisis_next.html", context))
    held = message.is_held and message.held_until is not None
    context.update(held_context(client, message) if held else delivered_context(client))
    context["held"] = held
    return _private(render(request, "inbox/client_sent.html", context))
