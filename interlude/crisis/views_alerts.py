"""Urgent alert pages (/alerts/) and the on-call rota (/on-call/).

The rules live in `crisis.alerts` and `crisis.rota`; these views check who is asking, parse the
shift form and format times in Python, in the viewer's zone (the rota in the practice's).
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from interlude.accounts.decorators import staff_required
from interlude.accounts.models import Clinician
from interlude.inbox.services import reasons_of

from . import alerts, rota
from .forms import OnCallShiftForm
from .models import UrgentAlert
from .views import local_time

PER_PAGE = 50
UPCOMING_DAYS = 14
STEP_REASONS = {
    "route": gettext_lazy("first on the agreement's route"),
    "not_acknowledged": gettext_lazy("escalated: not acknowledged in time"),
    "delivery_failed": gettext_lazy("escalated: the alert could not be delivered"),
}



def viewer_zone(user):
    """The clinician's own zone, else the practice's."""
    zone = Clinician.objects.filter(user_id=user.pk).values_list("time_zone", flat=True).first()
    return zone or user.practice.time_zone


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


# --- alerts ----------------------------------------------------------------------------------

@staff_required
def alert_list(request):
    zone = viewer_zone(request.user)
    page = Paginator(alerts.alert_list(request.user), PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"pk": alert.pk, "client": alert.client.display_name, "state": alert.state,
             "state_label": alert.get_state_display(), "route": _route_label(alert.route),
             "raised": local_time(alert.created_at, zone), "people": alert.people,
             "own": alert.client.clinician.user_id == request.user.pk}
            for alert in page.object_list]
    return _private(render(request, "crisis/alert_list.html", {
        "page": page, "rows": rows, "time_zone": zone,
        "waiting": sum(row["state"] != UrgentAlert.State.ACKNOWLEDGED for row in rows),
    }))


def _route_label(route):
    labels = {"on_call": _("the on-call rota"), "clinician": _("the client's clinician"),
              "resources": _("crisis resources only")}
    return labels.get(route, route)


def _step_reason(reason):
    why, _sep, who = reason.partition(":")
    label = STEP_REASONS.get(why, why)
    if who == "admin":
        return _("%(why)s, to a practice admin") % {"why": label}
    return label


def _reasons(message):
    return [{**reason, "category": (reason.get("category") or "").replace("_", " ")}
            for reason in reasons_of(message)]


@staff_required
def alert_detail(request, pk):
    user = request.user
    with transaction.atomic():
        alert = alerts.get_alert(user, pk)
        alerts.view_alert(user, alert, request=request)
    zone = viewer_zone(user)
    client = alert.client
    own = client.clinician.user_id == user.pk
    notices = alert.notices.select_related("recipient").order_by("step")
    steps = [{"step": n.step + 1, "who": n.recipient.full_name or n.recipient.email,
              "you": n.recipient_id == user.pk, "when": local_time(n.created_at, zone),
              "why": _step_reason(n.reason)} for n in notices]
    return _private(render(request, "crisis/alert_detail.html", {
        "alert": alert, "client": client, "message": alert.message, "own": own,
        "reasons": _reasons(alert.message), "steps": steps, "time_zone": zone,
        "route": _route_label(alert.route),
        "raised": local_time(alert.created_at, zone),
        "client_now": local_time(timezone.now(), client.time_zone),
        "acknowledged": local_time(alert.acknowledged_at, zone) if alert.acknowledged_at else "",
        "escalates": local_time(alert.escalate_at, zone) if alert.escalate_at else "",
        "open": alert.state != UrgentAlert.State.ACKNOWLEDGED,
    }))


@require_POST
@staff_required
def acknowledge(request, pk):
    alert = alerts.get_alert(request.user, pk)
    if alerts.acknowledge(request.user, alert, request=request):
        messages.success(request, _("Alert acknowledged. Nobody else will be asked to take it."))
    else:
        messages.info(request, _("This alert was acknowledged already."))
    return redirect("alert_detail", pk=alert.pk)


# --- the on-call rota ------------------------------------------------------------------------

@staff_required
def on_call_rota(request):
    user = request.user
    practice = user.practice
    manage = rota.may_manage(user, practice)
    form = None
    if manage:
        form = OnCallShiftForm(clinicians=rota.eligible_clinicians(practice))
    if request.method == "POST":
        if not manage:
            raise Http404("Practice admins only")
        form = OnCallShiftForm(request.POST, clinicians=rota.eligible_clinicians(practice))
        if _add_shift(request, practice, form):
            return redirect("on_call_rota")
    return render(request, "crisis/on_call_rota.html", {
        **_rota_context(practice, timezone.now()), "form": form, "manage": manage,
    }, status=400 if form is not None and form.is_bound else 200)


def _add_shift(request, practice, form):
    zone = ZoneInfo(practice.time_zone)
    with timezone.override(zone):
        valid = form.is_valid()
    if not valid:
        return False
    data = form.cleaned_data
    try:
        rota.add_shift(request.user, practice, data["clinician"], data["starts_at"],
                       data["ends_at"], data["position"], now=timezone.now(),
                       describe=lambda at: local_time(at, practice.time_zone), request=request)
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return False
    messages.success(request, _("Shift added to the rota."))
    return True


def _shift_row(shift, zone):
    return {"pk": shift.pk, "who": shift.clinician.display_name, "position": shift.position,
            "starts": local_time(shift.starts_at, zone), "ends": local_time(shift.ends_at, zone),
            "skipped": not rota.answers(shift)}


def _rota_context(practice, now):
    zone = practice.time_zone
    upcoming = rota.shifts_between(practice, now, now + timedelta(days=UPCOMING_DAYS))
    needed = rota.routes_to_on_call(practice)
    gaps = rota.gaps(practice, now, now + timedelta(days=rota.GAP_DAYS)) if needed else []
    return {
        "time_zone": zone,
        "now": [_shift_row(shift, zone) for shift in rota.covering(practice, now)],
        "upcoming": [_shift_row(shift, zone) for shift in upcoming],
        "needed": needed,
        "nobody_now": needed and bool(gaps) and gaps[0][0] == now,
        "gaps": [{"starts": local_time(start, zone), "ends": local_time(end, zone)}
                 for start, end in gaps],
        "gap_days": rota.GAP_DAYS, "upcoming_days": UPCOMING_DAYS,
    }


@require_POST
@staff_required
def on_call_remove(request, pk):
    shift = rota.get_shift(request.user, pk)
    rota.remove_shift(request.user, shift, request=request)
    messages.success(request, _("Shift removed from the rota."))
    return redirect("on_call_rota")
