"""The clinician's inbox: the list of threads, one thread with its triage reasons, replying,
keeping a message for the next session, unpinning, looking at held messages on purpose, and
a session's agenda.

Views stay thin: access and the audited actions live in `staff` and `agenda`, sending in
`services`. Times are formatted here, in Python, in the clinician's own zone.
"""

from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from interlude.accounts.access import own_clinician
from interlude.accounts.decorators import clinician_required
from interlude.accounts.forms import PlainForm
from interlude.audit.service import record
from interlude.outreach.models import Appointment
from interlude.outreach.reminders import local_words

from . import agenda, services, staff
from .models import MAX_MESSAGE_LENGTH, Message
from .views_client import counter_words

THREADS_PER_PAGE = 25
MESSAGES_PER_PAGE = 50
WHEN = "D j M Y, H:i"


class ReplyForm(PlainForm):
    text = forms.CharField(
        # The length is checked by services.clean_text, which counts a line break once.
        label=gettext_lazy("Your reply"), strip=True,
        # No maxlength: the browser would cut a long reply without a word. The counter under
        # the box says when it is too long, and the server refuses it keeping the text.
        widget=forms.Textarea(attrs={"rows": 5, "data-message-limit": MAX_MESSAGE_LENGTH,
                                     "aria-describedby": "id_text_helptext id_text_count"}),
        help_text=gettext_lazy("Up to 2,000 characters. The client sees it in Interlude."),
        error_messages={"required": gettext_lazy("Write a reply before sending.")})



# --- words ------------------------------------------------------------------------------------

def level_badge(level):
    """(label, css class) for a level worth flagging; None for routine."""
    if level == Message.Level.URGENT:
        return {"label": _("Urgent"), "css": "urgent"}
    if level == Message.Level.ELEVATED:
        return {"label": _("Elevated"), "css": "wait"}
    return None


def held_words(count, until, zone):
    """e.g. "2 held until Monday 2 March, 9:00"."""
    if not count:
        return ""
    if until is None:
        return ngettext("%(count)s held", "%(count)s held", count) % {"count": count}
    day, clock = local_words(until, zone, translation.get_language())
    return ngettext("%(count)s held until %(day)s, %(time)s",
                    "%(count)s held until %(day)s, %(time)s", count) % {
        "count": count, "day": day, "time": clock}


def when(instant, zone):
    return dateformat.format(instant.astimezone(ZoneInfo(zone)), WHEN)


# --- the inbox --------------------------------------------------------------------------------

def _inbox_row(thread, zone):
    unread = thread.unread
    return {"url_pk": thread.pk, "client": thread.client.display_name,
            "badge": level_badge(staff.level_of(thread)), "pinned": thread.pinned > 0,
            "unread": unread, "held": held_words(thread.held, thread.held_until, zone),
            "last": when(thread.last_activity, zone)}


@clinician_required
@require_GET
def inbox(request):
    clinician = own_clinician(request.user)
    page = Paginator(staff.inbox_threads(clinician), THREADS_PER_PAGE).get_page(
        request.GET.get("page"))
    zone = clinician.time_zone
    rows = [_inbox_row(thread, zone) for thread in page.object_list]
    staff.view_inbox(request.user, clinician, page.number, len(rows), request=request)
    return render(request, "inbox/staff_inbox.html", {"rows": rows, "page": page,
                                                      "zone": zone})


# --- one thread -------------------------------------------------------------------------------

def _sender(message, client_name):
    if message.sender == Message.Sender.CLIENT:
        return client_name
    if message.sender == Message.Sender.SYSTEM:
        return _("Automatic reply")
    return _("You")


def _reasons(message):
    return [{"category": (reason.get("category") or "").replace("_", " "),
             "words": reason.get("words", ""), "clause": reason.get("clause", ""),
             "rule": reason.get("rule", ""), "level": reason.get("level", "")}
            for reason in services.reasons_of(message)]


def _kept(message, zone):
    """What became of a message kept for a session, in words; "" when it was not kept."""
    try:
        item = message.agenda_item
    except Message.agenda_item.RelatedObjectDoesNotExist:
        return ""
    appointment = item.appointment
    if appointment is not None and appointment.status not in agenda.GONE:
        return _("Kept for the session on %(when)s.") % {"when": when(appointment.start, zone)}
    return _("Kept for the next session; it goes on the agenda of the next appointment you "
             "make.")


def _message_row(message, client_name, zone):
    from_client = message.sender == Message.Sender.CLIENT
    return {"pk": message.pk, "sender": _sender(message, client_name),
            "from_client": from_client, "when": when(message.created_at, zone),
            "when_iso": message.created_at.isoformat(), "body": message.body,
            "badge": level_badge(message.level) if from_client else None,
            "level": message.get_level_display() if from_client else "",
            "reasons": _reasons(message) if from_client else [],
            "kept": _kept(message, zone) if from_client else "",
            "pinned": message.is_pinned, "unread": from_client and message.read_at is None}


def _thread_page(request, thread, *, form=None, held=False):
    zone = thread.clinician.time_zone
    name = thread.client.display_name
    form = form or ReplyForm()
    staff.open_thread(request.user, thread, held=held, request=request)
    page = Paginator(staff.visible_messages(thread), MESSAGES_PER_PAGE).get_page(
        request.GET.get("page"))
    # Newest first to page through; oldest first to read.
    rows = [_message_row(m, name, zone) for m in reversed(list(page.object_list))]
    count, until = staff.held_summary(thread)
    held_rows = ([_message_row(m, name, zone) for m in staff.held_messages(thread)]
                 if held else [])
    return render(request, "inbox/staff_thread.html", {
        "thread": thread, "client": thread.client, "rows": rows, "page": page,
        "held_count": count, "held_text": held_words(count, until, zone),
        "held_rows": held_rows, "looked_at_held": held,
        "form": form, "zone": zone, "limit": MAX_MESSAGE_LENGTH,
        "counter": counter_words(len(services.normalised(form["text"].value() or ""))),
    })


@never_cache
@clinician_required
@require_GET
def thread(request, pk):
    return _thread_page(request, staff.own_thread(request.user, pk))


@never_cache
@clinician_required
@require_POST
def look_at_held(request, pk):
    """The clinician chose to read held messages before their hours: shown, audited, and
    left held (no digest is skipped, nothing is marked read)."""
    return _thread_page(request, staff.own_thread(request.user, pk), held=True)


@clinician_required
@require_POST
def reply(request, pk):
    thread = staff.own_thread(request.user, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply(request.user, thread, form.cleaned_data["text"], request=request)
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("Your reply is sent. %(name)s sees it in Interlude.")
                             % {"name": thread.client.display_name})
            return redirect("inbox_thread", pk=thread.pk)
    return _thread_page(request, thread, form=form)


@clinician_required
@require_POST
def keep_for_session(request, pk):
    message = staff.own_message(request.user, pk)
    try:
        item, created = agenda.keep_for_session(request.user, message, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("inbox_thread", pk=message.thread_id)
    zone = message.thread.clinician.time_zone
    if item.appointment is not None:
        text = _("Kept for the session on %(when)s; it is on that appointment's agenda.") % {
            "when": when(item.appointment.start, zone)}
    else:
        text = _("Kept for the next session. There is no appointment yet: it goes on the "
                 "agenda of the next one you make.")
    if not created:
        text = _("This message was already kept for a session.")
    messages.success(request, text)
    return redirect("inbox_thread", pk=message.thread_id)


@clinician_required
@require_POST
def unpin(request, pk):
    message = staff.own_message(request.user, pk)
    if staff.unpin(request.user, message, request=request):
        messages.success(request, _("The message is no longer pinned at the top of your "
                                    "inbox."))
    return redirect("inbox_thread", pk=message.thread_id)


# --- a session's agenda -----------------------------------------------------------------------

def _agenda_row(item, zone):
    message = item.message
    return {"pk": message.pk, "thread_pk": message.thread_id, "body": message.body,
            "when": when(message.created_at, zone), "badge": level_badge(message.level),
            "kept": when(item.created_at, zone)}


@never_cache
@clinician_required
@require_GET
def session_agenda(request, pk):
    """The messages kept for one appointment: the clinician's own appointments only."""
    appointment = get_object_or_404(Appointment.objects.select_related("client", "clinician"),
                                    pk=pk, clinician__user_id=request.user.pk)
    zone = appointment.clinician.time_zone
    items = agenda.agenda_for(appointment)
    with transaction.atomic():
        record(request.user, "view", "Agenda", appointment.pk, request=request,
               client=appointment.client, detail={"agenda_items": [i.pk for i in items]})
    return render(request, "inbox/staff_agenda.html", {
        "appointment": appointment, "client": appointment.client,
        "when": when(appointment.start, zone), "until": dateformat.format(
            appointment.end.astimezone(ZoneInfo(zone)), "H:i"),
        "rows": [_agenda_row(item, zone) for item in items], "zone": zone})
