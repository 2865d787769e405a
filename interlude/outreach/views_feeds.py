"""Pages and endpoints that face outside the app: calendar feeds and the SMS webhook."""

import logging
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from interlude.audit.service import client_ip

from . import calendar_feed, sms_inbound

log = logging.getLogger(__name__)


# --- calendar feeds ---------------------------------------------------------------------------

def _owner_or_404(user):
    owner = calendar_feed.feed_owner(user)
    if owner is None:
        raise Http404("Only clinicians and clients have a calendar")
    return owner


def _feed_page(request, new_link=""):
    owner = _owner_or_404(request.user)
    feed = calendar_feed.active_feed(request.user)
    made_on = ""
    if feed is not None:
        made_on = date_format(timezone.localtime(feed.created_at, ZoneInfo(owner.time_zone)),
                              "DATE_FORMAT")
    webcal = new_link.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1)
    return render(request, "outreach/feeds/calendar_page.html", {
        "feed": feed, "made_on": made_on, "new_link": new_link, "webcal_link": webcal})


@never_cache
@login_required
def calendar_page(request):
    return _feed_page(request)


@never_cache
@login_required
@require_POST
def calendar_new(request):
    _owner_or_404(request.user)
    token = calendar_feed.issue_feed(request.user, request=request)
    # Shown in this answer only: the token is not stored, so it cannot be shown again.
    return _feed_page(request, new_link=calendar_feed.feed_url(token))


@login_required
@require_POST
def calendar_off(request):
    _owner_or_404(request.user)
    if calendar_feed.turn_off(request.user, request=request):
        messages.success(request, _("Your calendar link is turned off. Calendars that used it "
                                    "will stop updating."))
    return redirect("calendar_page")


@require_safe
def calendar_ics(request, token):
    body = calendar_feed.read_feed(token, request=request)
    if body is None:
        raise Http404("No such calendar")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="interlude.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- SMS replies ------------------------------------------------------------------------------

@csrf_exempt
@require_POST
def sms_webhook(request):
    if not sms_inbound.signature_is_valid(request):
        # The caller's address only: the form holds a phone number and the text.
        log.warning("sms inbound: refused a request with a missing or wrong signature from %s",
                    client_ip(request))
        return HttpResponse(status=403)
    message = sms_inbound.InboundText(
        sender=request.POST.get("From", ""), receiver=request.POST.get("To", ""),
        text=request.POST.get("Body", ""), message_sid=request.POST.get("MessageSid", ""))
    answer = sms_inbound.handle(message, request=request)
    return HttpResponse(sms_inbound.twiml(answer), content_type="application/xml")
