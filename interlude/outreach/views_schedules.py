"""A client's schedules, for their clinician (who changes them) and the practice's admins (who
read them). Views stay thin: access through `accounts.access`, rules in `schedules`.

Times are formatted here, in Python, in the client's zone and the clinician's."""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from interlude.accounts.access import get_client
from interlude.accounts.decorators import staff_required
from interlude.agreements import availability
from interlude.audit.service import record

from . import recurrence, schedules
from .forms_schedules import ScheduleForm, initial_for, today_initial
from .models import Schedule

PER_PAGE = 20
NEXT_COUNT = 3
DATE_TIME = "D j M Y, H:i"
# How far ahead the page looks for the next few messages of a sparse rule.
LOOK_AHEAD = timedelta(days=400)
STATUS_CLASS = {"active": "ok", "paused": "wait", "ended": "none"}



def _when(instant, zone):
    return dateformat.format(instant.astimezone(ZoneInfo(zone)), DATE_TIME)


def _schedule(client, pk):
    return get_object_or_404(
        Schedule.objects.select_related("client", "client__user", "client__clinician",
                                        "practice"), pk=pk, client=client)


# --- what the list shows ------------------------------------------------------------------------

def _minutes_words(minutes):
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


def timing_words(schedule):
    if schedule.minutes_before_appointment is not None:
        return _("%(lead)s before each appointment") % {
            "lead": _minutes_words(schedule.minutes_before_appointment)}
    start = schedules.stored_start(schedule)
    words = recurrence.describe(schedule.rrule, dtstart_local=start)
    return _("%(rule)s, from %(start)s") % {"rule": words, "start": f"{start:%Y-%m-%d}"}


def next_deliveries(schedule, appointments, now):
    """The next few instants the schedule will send at, out of quiet hours."""
    if schedule.minutes_before_appointment is not None:
        dues = [schedules.before_appointment(schedule, a) for a in appointments]
        return sorted(due for due in dues if due > now)[:NEXT_COUNT]
    # A schedule that starts later is looked at from its start (a day either way is no matter).
    begins = max(now, schedules.stored_start(schedule).replace(tzinfo=UTC))
    found = []
    for _occurrence, due in schedules.by_the_calendar(schedule, now, begins + LOOK_AHEAD,
                                                      limit=NEXT_COUNT * 24):
        if due not in found:
            found.append(due)
        if len(found) == NEXT_COUNT:
            break
    return found


def _row(schedule, appointments, now, may_change):
    client = schedule.client
    active = schedule.status == Schedule.Status.ACTIVE
    dues = next_deliveries(schedule, appointments, now) if active else []
    return {
        "pk": schedule.pk, "name": schedule.name, "channel": schedule.get_channel_display(),
        "status": schedule.get_status_display(), "status_code": schedule.status,
        "status_class": STATUS_CLASS.get(schedule.status, "none"),
        "timing": timing_words(schedule),
        "next": [{"client": _when(due, client.time_zone),
                  "clinician": _when(due, client.clinician.time_zone)} for due in dues],
        "problem": schedules.problem_text(schedule.last_problem) if active else "",
        "may_change": may_change and schedule.status != Schedule.Status.ENDED,
    }


def _rows(client, page_schedules, now, may_change):
    relative = any(s.minutes_before_appointment is not None for s in page_schedules)
    appointments = (schedules.upcoming_appointments([client.pk], now, now + LOOK_AHEAD)
                    .get(client.pk, []) if relative else [])
    for schedule in page_schedules:
        schedule.client = client  # one client for the whole page, loaded once
    return [_row(s, appointments, now, may_change) for s in page_schedules]


# --- pages ----------------------------------------------------------------------------------------

@never_cache
@staff_required
def schedule_list(request, client_pk):
    user = request.user
    client = get_client(user, client_pk)
    may_change = schedules.may_change(user, client)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("Only the client's clinician changes their schedules.")
        form = ScheduleForm(request.POST)
        if form.is_valid() and _saved(request, form, client, None):
            messages.success(request, _("Schedule saved; its messages are planned."))
            return redirect("schedule_list", client_pk=client.pk)
    else:
        today = timezone.now().astimezone(ZoneInfo(client.time_zone)).date()
        form = ScheduleForm(initial=today_initial(today))
    return _render_list(request, client, form, may_change)


def _render_list(request, client, form, may_change):
    now = timezone.now()
    listing = client.schedules.order_by("-created_at", "-pk")
    page = Paginator(listing, PER_PAGE).get_page(request.GET.get("page"))
    rows = _rows(client, list(page.object_list), now, may_change)
    with transaction.atomic():
        record(request.user, "view", "Schedule", "", request=request, client=client,
               detail={"schedules": len(rows), "page": page.number})
    gate = availability.check(client, "automated")
    return render(request, "outreach/schedules/list.html", {
        "client": client, "rows": rows, "page": page, "form": form, "may_change": may_change,
        "gate": gate, "gate_text": schedules.problem_text(f"agreement:{gate.reason}")
        if not gate.allowed else "",
        "client_zone": client.time_zone, "clinician_zone": client.clinician.time_zone,
    })


def _saved(request, form, client, schedule):
    """Create or edit from a valid form; False (with the errors on the form) when refused."""
    try:
        if schedule is None:
            schedules.create_schedule(request.user, client, request=request,
                                      **form.service_fields())
        else:
            schedules.edit_schedule(request.user, schedule, request=request,
                                    **form.service_fields())
    except ValidationError as error:
        _add_errors(form, error)
        return False
    return True


def _add_errors(form, error):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    where = {"rrule": "rule", "dtstart_local": "start_date",
             "minutes_before_appointment": "before_amount"}
    for name, problems in error.message_dict.items():
        target = where.get(name, name)
        form.add_error(target if target in form.fields else None, problems)


@never_cache
@staff_required
def schedule_edit(request, client_pk, pk):
    user = request.user
    client = get_client(user, client_pk)
    schedule = _schedule(client, pk)
    if not schedules.may_change(user, client):
        raise PermissionDenied("Only the client's clinician changes their schedules.")
    if schedule.status == Schedule.Status.ENDED:
        raise Http404("This schedule has ended")
    if request.method == "POST":
        form = ScheduleForm(request.POST)
        if form.is_valid() and _saved(request, form, client, schedule):
            messages.success(request, _("Schedule changed; its future messages follow the "
                                        "new version."))
            return redirect("schedule_list", client_pk=client.pk)
    else:
        with transaction.atomic():
            record(user, "view", "Schedule", schedule.pk, request=request, client=client)
        form = ScheduleForm(initial=initial_for(schedule, schedules.stored_start(schedule)))
    return render(request, "outreach/schedules/edit.html", {
        "client": client, "schedule": schedule, "form": form,
        "client_zone": client.time_zone})


def _status_change(request, client_pk, pk, change, done):
    client = get_client(request.user, client_pk)
    schedule = _schedule(client, pk)
    try:
        change(request.user, schedule, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"name": schedule.name})
    return redirect("schedule_list", client_pk=client.pk)


@require_POST
@staff_required
def schedule_pause(request, client_pk, pk):
    return _status_change(request, client_pk, pk, schedules.pause_schedule,
                          _("“%(name)s” is paused; its planned messages are withdrawn."))


@require_POST
@staff_required
def schedule_resume(request, client_pk, pk):
    return _status_change(request, client_pk, pk, schedules.resume_schedule,
                          _("“%(name)s” is running again."))


@never_cache
@staff_required
def schedule_end(request, client_pk, pk):
    user = request.user
    client = get_client(user, client_pk)
    schedule = _schedule(client, pk)
    if not schedules.may_change(user, client):
        raise PermissionDenied("Only the client's clinician changes their schedules.")
    if request.method == "POST":
        return _status_change(request, client_pk, pk, schedules.end_schedule,
                              _("“%(name)s” has ended; nothing more will be sent."))
    return render(request, "outreach/schedules/end.html", {"client": client,
                                                            "schedule": schedule})
