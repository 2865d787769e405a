from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import render

from interlude.accounts.models import Client

from . import service
from .forms import TrailFilterForm

PAGE_SIZE = 50


def _rows(events, zone, practice_id):
    """Plain strings per row: formatting here keeps the template free of per-row filters."""
    client_ids = {e.client_id_ref for e in events if e.client_id_ref}
    names = dict(Client.objects.filter(practice_id=practice_id, pk__in=client_ids)
                 .values_list("pk", "display_name")) if client_ids else {}
    rows = []
    for event in events:
        actor = event.actor
        who = f"{actor.full_name} ({event.actor_label})" if actor and actor.full_name \
            else event.actor_label
        record = f"{event.object_type} {event.object_id}".strip()
        rows.append({
            "seq": event.seq,
            "who": who,
            "action": event.action,
            "record": record,
            "client": names.get(event.client_id_ref, event.client_id_ref or ""),
            "when": event.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z"),
            "when_iso": event.at.isoformat(),
            "where": event.ip_address or "",
        })
    return rows


@login_required
def audit_list(request):
    """The practice's audit trail, newest first, for its admins only (others get 404)."""
    user = request.user
    if not user.is_admin or user.practice_id is None:
        raise Http404("No such page")
    practice = user.practice
    zone = ZoneInfo(practice.time_zone)
    form = TrailFilterForm(request.GET or None, practice=practice)
    filtering = form.is_bound and form.is_valid()
    if form.is_bound and not filtering:
        events = service.practice_trail(practice).none()
    else:
        events = service.practice_trail(practice, form.trail_filter() if filtering else None)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    with transaction.atomic():
        rows = _rows(list(page.object_list), zone, practice.pk)
        # Reading the trail is itself a read of clinical activity.
        service.record(user, "view", "AuditTrail", request=request, practice=practice,
                       detail={"page": page.number,
                               "filters": form.used_filters() if filtering else {}})
    return render(request, "audit/audit_list.html", {
        "form": form, "page": page, "rows": rows, "time_zone": practice.time_zone,
    })
