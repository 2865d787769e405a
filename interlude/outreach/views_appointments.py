"""Pages for appointments, reminder rules and message templates, and the signed-link pages.

Views stay thin: they find what the person may see through `accounts.access` (or their own
appointment), parse forms and call the rules in appointments.py, reminders.py and
templates_text.py. Times are formatted here, in Python, in the reader's zone.
"""

import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from interlude.accounts.access import get_client, own_client, own_clinician, visible_clients
from interlude.accounts.decorators import admin_required, clinician_required
from interlude.accounts.models import Practice
from interlude.audit.service import record
from interlude.inbox import agenda

from . import appointments, links, reminders, templates_text
from .forms_appointments import (
    AppointmentForm,
    MessageTemplateForm,
    MoveForm,
    ReminderRuleForm,
)
from .models import CHANNELS, Appointment, MessageTemplate, ReminderRule

logger = logging.getLogger(__name__)

PER_PAGE = 25
STAFF_FORMAT = "D j M Y, H:i"




def _add_errors(form, error):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        target = field if field in form.fields else None
        if field in ("start", "end") and "start_time" in form.fields:
            target = "start_time"
        form.add_error(target, field_messages)


def _minutes_label(minutes):
    if minutes % 1440 == 0:
        days = minutes // 1440
        return ngettext("%(n)s day before", "%(n)s days before", days) % {"n": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)s hour before", "%(n)s hours before", hours) % {"n": hours}
    return ngettext("%(n)s minute before", "%(n)s minutes before", minutes) % {"n": minutes}


# --- the clinician's appointments -------------------------------------------------------------

def _staff_row(appointment, tz, kept=0):
    start = appointment.start.astimezone(tz)
    return {"pk": appointment.pk, "client": appointment.client.display_name, "kept": kept,
            "client_pk": appointment.client_id,
            "when": dateformat.format(start, STAFF_FORMAT),
            "until": dateformat.format(appointment.end.astimezone(tz), "H:i"),
            "kind": appointment.get_kind_display(), "status": appointment.get_status_display(),
            "confirmed": appointment.status == Appointment.Status.CONFIRMED}


@clinician_required
def appointment_list(request):
    clinician = own_clinician(request.user)
    upcoming = (Appointment.objects.filter(clinician=clinician, status__in=appointments.ACTIVE,
                                           end__gt=timezone.now())
                .select_related("client").order_by("start", "pk"))
    page = Paginator(upcoming, PER_PAGE).get_page(request.GET.get("page"))
    tz = ZoneInfo(clinician.time_zone)
    shown = list(page.object_list)
    kept = agenda.agenda_counts(shown)
    rows = [_staff_row(a, tz, kept.get(a.pk, 0)) for a in shown]
    with transaction.atomic():
        record(request.user, "view", "AppointmentList", clinician.pk, request=request,
               detail={"page": page.number, "rows": len(rows)})
    return render(request, "outreach/appointments/staff/list.html", {
        "rows": rows, "page": page, "zone": clinician.time_zone})


@never_cache
@clinician_required
def appointment_new(request):
    clinician = own_clinician(request.user)
    clients = visible_clients(request.user).filter(clinician=clinician, is_active=True)
    form_kwargs = {"zone": clinician.time_zone, "clients": clients.order_by("display_name")}
    if request.method == "POST":
        form = AppointmentForm(request.POST, **form_kwargs)
        if form.is_valid() and _create(request, form):
            return redirect("appointment_list")
    else:
        form = AppointmentForm(initial={"client": request.GET.get("client")}, **form_kwargs)
    return render(request, "outreach/appointments/staff/form.html", {
        "form": form, "title": _("New appointment"), "button": _("Book the appointment")})


def _create(request, form):
    data = form.cleaned_data
    try:
        appointment = appointments.create_appointment(
            request.user, data["client"], start=data["start"], end=data["end"],
            kind=data["kind"], location=data["location"], request=request)
    except ValidationError as error:
        _add_errors(form, error)
        return False
    messages.success(request, _("Appointment booked with %(client)s on %(when)s.") % {
        "client": appointment.client.display_name,
        "when": appointments.when(appointment.start, appointment.clinician.time_zone)})
    return True


def _own_appointment(request, pk):
    """The clinician's own appointment; opening it to change it is a read, so it is audited."""
    appointment = get_object_or_404(Appointment.objects.select_related("client", "clinician"),
                                    pk=pk, clinician__user_id=request.user.pk)
    if request.method == "GET":
        with transaction.atomic():
            record(request.user, "view", "Appointment", appointment.pk, request=request,
                   client=appointment.client)
    return appointment


@never_cache
@clinician_required
def appointment_move(request, pk):
    appointment = _own_appointment(request, pk)
    zone = appointment.clinician.time_zone
    if request.method == "POST":
        form = MoveForm(request.POST, zone=zone)
        if form.is_valid() and _move(request, appointment, form):
            return redirect("appointment_list")
    else:
        local = appointment.start.astimezone(ZoneInfo(zone))
        minutes = int((appointment.end - appointment.start).total_seconds() // 60)
        form = MoveForm(zone=zone, initial={"day": local.date(), "start_time": local.time(),
                                            "duration": minutes})
    return render(request, "outreach/appointments/staff/form.html", {
        "form": form, "appointment": appointment,
        "current": appointments.when(appointment.start, zone),
        "title": _("Move the appointment with %(client)s") % {
            "client": appointment.client.display_name},
        "button": _("Move the appointment")})


def _move(request, appointment, form):
    data = form.cleaned_data
    try:
        moved = appointments.move_appointment(request.user, appointment, start=data["start"],
                                              end=data["end"], request=request)
    except ValidationError as error:
        _add_errors(form, error)
        return False
    messages.success(request, _("Moved to %(when)s. The client's reminders follow the new "
                                "time.") % {
        "when": appointments.when(moved.start, moved.clinician.time_zone)})
    return True


@never_cache
@clinician_required
def appointment_cancel(request, pk):
    appointment = _own_appointment(request, pk)
    zone = appointment.clinician.time_zone
    if request.method == "POST":
        try:
            appointments.cancel_appointment(request.user, appointment, via="page",
                                            request=request)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The appointment is cancelled and its reminders "
                                        "withdrawn."))
        return redirect("appointment_list")
    return render(request, "outreach/appointments/staff/cancel.html", {
        "appointment": appointment, "when": appointments.when(appointment.start, zone)})


# --- the client's appointments ----------------------------------------------------------------

def _client_row(appointment, zone, language, kept=0):
    day, clock = reminders.local_words(appointment.start, zone, language)
    return {"pk": appointment.pk, "day": day, "time": clock, "kept": kept,
            "clinician": appointment.clinician.display_name,
            "kind": appointment.get_kind_display(), "location": appointment.location,
            "status": appointment.get_status_display(),
            "confirmed": appointment.status == Appointment.Status.CONFIRMED}


@login_required
@require_http_methods(["GET"])
def my_appointments(request):
    client = own_client(request.user)
    rows = list(Appointment.objects.filter(client=client, status__in=appointments.ACTIVE,
                                           end__gt=timezone.now())
                .select_related("clinician").order_by("start")[:50])
    with transaction.atomic():
        record(request.user, "view", "AppointmentList", client.pk, request=request,
               client=client, detail={"rows": len(rows)})
    language = translation.get_language()
    kept = agenda.agenda_counts(rows)
    return render(request, "outreach/appointments/client/list.html", {
        "rows": [_client_row(a, client.time_zone, language, kept.get(a.pk, 0)) for a in rows],
        "zone": client.time_zone})


def _client_appointment(user, pk):
    client = own_client(user)
    return get_object_or_404(Appointment.objects.select_related("clinician"), pk=pk,
                             client=client), client


@require_POST
@login_required
def my_appointment_confirm(request, pk):
    appointment, _client = _client_appointment(request.user, pk)
    try:
        appointments.confirm_appointment(request.user, appointment, via="page",
                                         request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Thank you. Your appointment is confirmed."))
    return redirect("my_appointments")


@never_cache
@login_required
def my_appointment_cancel(request, pk):
    appointment, client = _client_appointment(request.user, pk)
    if request.method == "POST":
        try:
            appointments.cancel_appointment(request.user, appointment, via="page",
                                            request=request)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Your appointment is cancelled. Your therapist will "
                                        "be told."))
        return redirect("my_appointments")
    row = _client_row(appointment, client.time_zone, translation.get_language())
    return render(request, "outreach/appointments/client/cancel.html", {"row": row})


# --- the signed links in reminders ------------------------------------------------------------

def _link_page(request, template, context, status=200):
    response = render(request, f"outreach/appointments/client/{template}", context,
                      status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _link_problem(request, check):
    appointment = check.appointment
    context = {"problem": check.problem}
    if check.problem == links.MOVED and appointment.status in appointments.ACTIVE:
        client = appointment.client
        context["day"], context["time"] = reminders.local_words(
            appointment.start, client.time_zone, translation.get_language())
    if appointment is not None:
        record(appointment.client.user, "link_refused", "Appointment", appointment.pk,
               request=request, client=appointment.client,
               detail={"action": check.action, "reason": check.problem})
    status = 400 if check.problem == links.INVALID else 410
    return _link_page(request, "link_problem.html", context, status=status)


def _link_act(request, appointment, action):
    act = (appointments.confirm_appointment if action == "confirm"
           else appointments.cancel_appointment)
    try:
        act(appointment.client.user, appointment, via="email_link", request=request)
    except ValidationError as error:
        return _link_page(request, "link_problem.html",
                          {"problem": "refused", "message": error.messages[0]}, status=409)
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def appointment_link(request, token, action):
    """Open a link: GET shows the appointment's time and a button; only the POST acts."""
    check = links.check_token(token, action)
    appointment = check.appointment
    language = appointment.client.user.preferred_language if appointment else None
    with translation.override(language or translation.get_language()), transaction.atomic():
        if check.problem:
            return _link_problem(request, check)
        client = appointment.client
        if request.method == "POST":
            refused = _link_act(request, appointment, action)
            if refused is not None:
                return refused
        else:
            record(client.user, "view", "Appointment", appointment.pk, request=request,
                   client=client, detail={"via": "email_link", "action": action})
        day, clock = reminders.local_words(appointment.start, client.time_zone,
                                           translation.get_language())
        return _link_page(request, "link.html", {
            "action": action, "done": request.method == "POST", "day": day, "time": clock,
            "zone": client.time_zone})


# --- reminder rules ---------------------------------------------------------------------------

def _rule_rows(rules):
    return [{"pk": rule.pk, "label": _minutes_label(rule.minutes_before)} for rule in rules]


def _add_rule(request, form, practice, client=None):
    if not form.is_valid():
        return False
    try:
        reminders.add_rule(request.user, practice, form.minutes(), client=client,
                           request=request)
    except ValidationError as error:
        _add_errors(form, error)
        return False
    messages.success(request, _("Reminder added. Upcoming appointments follow it."))
    return True


@never_cache
@admin_required
def practice_reminders(request):
    practice = Practice.objects.get(pk=request.user.practice_id)
    form = ReminderRuleForm(request.POST or None)
    if request.method == "POST" and _add_rule(request, form, practice):
        return redirect("practice_reminders")
    rules = ReminderRule.objects.filter(practice=practice, client__isnull=True)
    return render(request, "outreach/appointments/staff/practice_reminders.html", {
        "form": form, "rules": _rule_rows(rules),
        "fallback": [_minutes_label(m) for m in reminders.DEFAULT_MINUTES]})


@require_POST
@admin_required
def practice_reminder_remove(request, pk):
    rule = get_object_or_404(ReminderRule, pk=pk, practice_id=request.user.practice_id,
                             client__isnull=True)
    reminders.remove_rule(request.user, rule, request=request)
    messages.success(request, _("Reminder removed."))
    return redirect("practice_reminders")


def _staff_client(user, pk):
    if not (user.is_clinician or user.is_admin):
        raise Http404("Staff pages only")
    client = get_client(user, pk)
    if not (user.is_admin or client.clinician.user_id == user.pk):
        raise Http404("Not your client")
    return client


@never_cache
@login_required
def client_reminders(request, pk):
    client = _staff_client(request.user, pk)
    form = ReminderRuleForm(request.POST or None)
    if request.method == "POST" and _add_rule(request, form, client.practice, client):
        return redirect("client_reminders", pk=client.pk)
    own = ReminderRule.objects.filter(client=client)
    return render(request, "outreach/appointments/staff/client_reminders.html", {
        "client": client, "form": form, "rules": _rule_rows(own),
        "effective": [_minutes_label(m) for m in reminders.rules_for(client)]})


@require_POST
@login_required
def client_reminder_remove(request, pk, rule_pk):
    client = _staff_client(request.user, pk)
    rule = get_object_or_404(ReminderRule, pk=rule_pk, client=client)
    try:
        reminders.remove_rule(request.user, rule, request=request)
    except PermissionDenied as error:
        raise Http404("Not your client") from error
    messages.success(request, _("Reminder removed."))
    return redirect("client_reminders", pk=client.pk)


# --- message templates ------------------------------------------------------------------------

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _template_rows(practice):
    own = set(MessageTemplate.objects.filter(practice=practice)
              .values_list("kind", "channel", "language"))
    kinds = dict(MessageTemplate.Kind.choices)
    channels = dict(CHANNELS)
    return [{"kind": kind, "channel": channel, "language": language,
             "label": f"{kinds[kind]} · {channels[channel]} · {LANGUAGE_NAMES[language]}",
             "own": (kind, channel, language) in own}
            for kind in templates_text.KINDS for channel in templates_text.CHANNEL_NAMES
            for language in templates_text.LANGUAGES]


@admin_required
def message_templates(request):
    practice = Practice.objects.get(pk=request.user.practice_id)
    return render(request, "outreach/message_templates/list.html",
                  {"rows": _template_rows(practice)})


def _template_key(kind, channel, language):
    if ((kind, channel) not in templates_text.PLACEHOLDERS
            or language not in templates_text.LANGUAGES):
        raise Http404("No such template")


def _current_wording(practice, kind, channel, language):
    own = MessageTemplate.objects.filter(practice=practice, kind=kind, channel=channel,
                                         language=language).first()
    if own is not None:
        return {"subject": own.subject, "body": own.body}, True
    subject, body = templates_text.default_template(kind, channel, language)
    return {"subject": subject, "body": body}, False


def _save_template(request, practice, form, key):
    kind, channel, language = key
    try:
        templates_text.save_template(
            request.user, practice, kind=kind, channel=channel, language=language,
            subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
            request=request)
    except ValidationError as error:
        _add_errors(form, error)
        return False
    messages.success(request, _("The template is saved. New messages use it."))
    return True


def _template_post(request, practice, key):
    """(form, preview, done) for a POST: reset, preview or save."""
    kind, channel, language = key
    if request.POST.get("action") == "reset":
        templates_text.reset_template(request.user, practice, kind=kind, channel=channel,
                                      language=language, request=request)
        messages.success(request, _("Back to the default wording."))
        return None, None, True
    form = MessageTemplateForm(request.POST)
    if not form.is_valid():
        return form, None, False
    if request.POST.get("action") == "preview":
        return form, _preview(form, practice, key), False
    return form, None, _save_template(request, practice, form, key)


def _preview(form, practice, key):
    kind, channel, language = key
    subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
    try:
        templates_text.validate(kind, channel, subject, body)
    except ValidationError as error:
        _add_errors(form, error)
        return None
    return templates_text.preview(practice, kind, channel, language, subject, body,
                                  settings.SITE_URL.rstrip("/"))


@never_cache
@admin_required
def message_template_edit(request, kind, channel, language):
    key = (kind, channel, language)
    _template_key(*key)
    practice = Practice.objects.get(pk=request.user.practice_id)
    preview = None
    if request.method == "POST":
        form, preview, done = _template_post(request, practice, key)
        if done:
            return redirect("message_template_edit", kind=kind, channel=channel,
                            language=language)
    wording, own = _current_wording(practice, *key)
    if request.method != "POST":
        form = MessageTemplateForm(initial=wording)
    return render(request, "outreach/message_templates/edit.html", {
        "form": form, "preview": preview, "own": own, "kind": kind, "channel": channel,
        "language": language,
        "label": next(r["label"] for r in _template_rows(practice)
                      if (r["kind"], r["channel"], r["language"]) == key),
        "placeholders": [(name, templates_text.PLACEHOLDER_HELP[name])
                         for name in templates_text.allowed_placeholders(kind, channel)]})
