"""Safety plan pages: the client's own (/me/safety-plan/) and the clinician's
(/clients/<pk>/safety-plan/), and the service worker that keeps the client's page offline.

The client's page is sent with `Cache-Control: private, no-store`, so no HTTP cache or proxy
keeps it. The service worker stores it explicitly in the browser's CacheStorage instead (that
store ignores Cache-Control), so the plan still opens when the server cannot be reached; the
logout form deletes that store before it logs out.
"""

from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from interlude.accounts.services import jurisdiction_label

from . import safety_plans
from .forms import SafetyPlanForm
from .resources import resources_for

WORKER = Path(__file__).resolve().parent.parent / "static" / "interlude" / "safety-plan-sw.js"


def local_time(value, zone):
    return date_format(timezone.localtime(value, ZoneInfo(zone)), "DATETIME_FORMAT")


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def _save(request, client, form):
    """Save a bound form through the rules; returns True when a version was written."""
    if not form.is_valid():
        return False
    try:
        _plan, created = safety_plans.save_plan(request.user, client, form.cleaned_data,
                                                request=request)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    if created:
        messages.success(request, _("Your safety plan is saved."))
    else:
        messages.info(request, _("Nothing changed."))
    return True


@login_required
def client_safety_plan(request):
    client = safety_plans.plan_client_for(request.user)
    if request.method == "POST":
        form = SafetyPlanForm(request.POST)
        if _save(request, client, form):
            return redirect("client_safety_plan")
        plan = safety_plans.current_plan(client)
    else:
        plan = safety_plans.plan_for_crisis_page(request.user, client, request=request)
        form = SafetyPlanForm(initial=SafetyPlanForm.initial_from(plan))
    response = render(request, "crisis/client/safety_plan.html", {
        "client": client, "plan": plan, "form": form,
        "updated": local_time(plan.created_at, client.time_zone) if plan else "",
        "resources": resources_for(client.country, client.region),
        "place": jurisdiction_label(client.country, client.region),
    }, status=400 if form.is_bound else 200)
    return _private(response)


def _shown_version(request, client, current):
    """The version asked for in ?version=, else the current one."""
    asked = request.GET.get("version", "")
    if not asked:
        return current
    plan = safety_plans.plan_version(client, int(asked)) if asked.isdigit() else None
    if plan is None:
        raise Http404("No such version")
    return plan


@login_required
def staff_safety_plan(request, pk):
    if not request.user.is_clinician:
        raise Http404("Clinicians only")
    client = safety_plans.plan_client_for(request.user, pk)
    zone = client.clinician.time_zone
    current = safety_plans.current_plan(client)
    if request.method == "POST":
        form = SafetyPlanForm(request.POST)
        if _save(request, client, form):
            return redirect("staff_safety_plan", pk=client.pk)
        shown = current
    else:
        shown = _shown_version(request, client, current)
        if shown is not None:
            shown.client = client
            safety_plans.view_plan(request.user, shown, request=request)
        form = SafetyPlanForm(initial=SafetyPlanForm.initial_from(current))
    versions = [{"version": p.version, "at": local_time(p.created_at, zone),
                 "by": p.created_by.full_name if p.created_by else ""}
                for p in safety_plans.history(client)]
    response = render(request, "crisis/staff/safety_plan.html", {
        "client": client, "plan": shown, "current": current, "form": form,
        "versions": versions,
        "shown_at": local_time(shown.created_at, zone) if shown else "",
    }, status=400 if form.is_bound else 200)
    return _private(response)


@lru_cache(maxsize=1)
def _worker_source():
    return WORKER.read_text(encoding="utf-8")


@require_GET
def service_worker(request):
    """The worker is served from the site root, so it may control the client's pages."""
    response = HttpResponse(_worker_source(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker on each visit; never keep a stale copy.
    response["Cache-Control"] = "no-cache"
    return response
