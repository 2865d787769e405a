"""The practice admin's view of the outbox: what was sent, what waits, what failed for good.

Only the envelope is shown (kind, channel, recipient, what it is about, times, state, attempts,
the last error): never a subject or a body, which may carry clinical detail.
"""

from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from interlude.audit.service import record

from . import outbox
from .models import CHANNELS, Delivery

PAGE_SIZE = 50
DEAD_SHOWN = 20
# The envelope of a delivery: everything the page shows, and nothing encrypted.
ENVELOPE = ("id", "practice_id", "kind", "channel", "ref_type", "ref_id", "due_at", "sent_at",
            "state", "attempts", "max_attempts", "last_error", "priority", "recipient__full_name")


class DeliveryFilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["state"].choices = anything + list(Delivery.State.choices)
        self.fields["kind"].choices = anything + [(kind, kind) for kind in kinds]
        self.fields["channel"].choices = anything + list(CHANNELS)

    def apply(self, rows):
        for name in ("state", "kind", "channel"):
            if self.cleaned_data.get(name):
                rows = rows.filter(**{name: self.cleaned_data[name]})
        return rows

    def used_filters(self):
        return {name: value for name, value in self.cleaned_data.items() if value}


def admin_practice(user):
    """The practice of a practice admin; 404 for everyone else."""
    if not user.is_admin or user.practice_id is None:
        raise Http404("No such page")
    return user.practice


def viewer_zone(user, practice):
    for related in ("clinician", "client"):
        row = getattr(user, related, None)
        if row is not None:
            return ZoneInfo(row.time_zone)
    return ZoneInfo(practice.time_zone)


def _when(value, zone):
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") if value else ""


def _rows(deliveries, zone):
    """Plain strings per row: formatting here keeps the template free of per-row filters."""
    return [{
        "pk": d.pk,
        "kind": d.kind,
        "channel": d.get_channel_display(),
        "recipient": d.recipient.full_name if d.recipient_id else "",
        "ref": f"{d.ref_type} {d.ref_id}".strip(),
        "due": _when(d.due_at, zone),
        "due_iso": d.due_at.isoformat(),
        "sent": _when(d.sent_at, zone),
        "state": d.state,
        "state_label": d.get_state_display(),
        "urgent": d.priority == Delivery.URGENT,
        "attempts": f"{d.attempts} / {d.max_attempts}",
        "error": d.last_error,
        "dead": d.state == Delivery.State.DEAD,
    } for d in deliveries]


def _counts(practice):
    found = dict(Delivery.objects.filter(practice=practice).order_by()
                 .values_list("state").annotate(n=Count("pk")))
    return [{"state": state, "label": label, "count": found.get(state, 0)}
            for state, label in Delivery.State.choices]


@login_required
def deliveries(request):
    user = request.user
    practice = admin_practice(user)
    zone = viewer_zone(user, practice)
    mine = Delivery.objects.filter(practice=practice)
    kinds = mine.order_by("kind").values_list("kind", flat=True).distinct()
    form = DeliveryFilterForm(request.GET or None, kinds=list(kinds))
    filtering = form.is_bound and form.is_valid()
    listed = form.apply(mine) if filtering else mine
    if form.is_bound and not filtering:
        listed = mine.none()
    envelope = mine.select_related("recipient").only(*ENVELOPE)
    page = Paginator(listed.select_related("recipient").only(*ENVELOPE)
                     .order_by("-due_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = _counts(practice)
    dead_total = next(c["count"] for c in counts if c["state"] == Delivery.State.DEAD)
    with transaction.atomic():
        rows = _rows(page.object_list, zone)
        dead = _rows(envelope.filter(state=Delivery.State.DEAD).order_by("-due_at", "-pk")
                     [:DEAD_SHOWN], zone)
        record(user, "view", "DeliveryList", request=request, practice=practice,
               detail={"page": page.number,
                       "filters": form.used_filters() if filtering else {}})
    return render(request, "outreach/deliveries/list.html", {
        "form": form, "page": page, "rows": rows, "counts": counts, "dead": dead,
        "dead_total": dead_total, "time_zone": str(zone),
    })


@login_required
@require_POST
def retry(request, pk):
    practice = admin_practice(request.user)
    delivery = get_object_or_404(Delivery.objects.only(*ENVELOPE[:-1]), pk=pk,
                                 practice=practice)
    if outbox.retry_dead(request.user, delivery, request=request):
        messages.success(request, _("Delivery #%(pk)s will be sent again now.") % {"pk": pk})
    else:
        messages.info(request, _("Delivery #%(pk)s has not failed, so there is nothing to "
                                 "retry.") % {"pk": pk})
    return redirect("deliveries")


@login_required
@require_POST
def retry_all(request):
    practice = admin_practice(request.user)
    count = outbox.retry_all_dead(request.user, practice, request=request)
    messages.success(request, ngettext("%(count)s failed delivery will be sent again now.",
                                       "%(count)s failed deliveries will be sent again now.",
                                       count) % {"count": count})
    return redirect("deliveries")
