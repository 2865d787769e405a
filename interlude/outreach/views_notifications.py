"""A person's own in-app notifications: what the in-app channel delivered to them."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Notification
from .views_deliveries import viewer_zone

PAGE_SIZE = 30


def _rows(notifications, zone):
    return [{
        "pk": n.pk,
        "title": n.title,
        "body": n.body,
        # Only links inside Interlude: a stored link never becomes a script or another site.
        "link": n.link if n.link.startswith("/") and not n.link.startswith("//") else "",
        "when": n.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z"),
        "when_iso": n.created_at.isoformat(),
        "unread": n.read_at is None,
    } for n in notifications]


@login_required
def notifications(request):
    user = request.user
    mine = Notification.objects.filter(user=user).order_by("-created_at", "-pk")
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    zone = viewer_zone(user, user.practice) if user.practice_id else timezone.get_current_timezone()
    rows = _rows(page.object_list, zone)
    return render(request, "outreach/notifications/list.html", {
        "page": page, "rows": rows, "unread": any(row["unread"] for row in rows),
    })


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now())
    return redirect("notifications")


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now())
    return redirect("notifications")
