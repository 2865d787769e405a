"""The client's own pages: home, their agreement in plain words, signing it, earlier versions.

Every page starts from `own_client`, so anyone who is not a client (a clinician, an admin)
gets 404, and a client can only ever reach their own agreement.
"""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from interlude.accounts.access import own_client
from interlude.audit.service import record
from interlude.crisis.resources import resources_for

from . import availability
from .models import ConnectionAgreement
from .plain_language import Parties, build_sections, reading_hours_sentence
from .services import (
    SignatureRefused,
    current_agreement,
    is_signed,
    sign_agreement,
    view_agreement,
)

CHANNEL_LABELS = {
    "self_help": gettext_lazy("Self-help tools"),
    "automated": gettext_lazy("Reminders and short questionnaires"),
    "inbox": gettext_lazy("Messages"),
    "checkins": gettext_lazy("Brief check-ins"),
    "crisis": gettext_lazy("Crisis contact"),
}


# --- formatting in the client's own zone and language -------------------------------------

def local_day(value, zone):
    local = timezone.localtime(value, ZoneInfo(zone))
    return date_format(local, pgettext("weekday, day and month", "l j F"))


def at_time(value, zone):
    """"at 18:00" in the client's zone; the hour picks the form, as Spanish says "a la 1:00"
    but "a las 2:00"."""
    local = timezone.localtime(value, ZoneInfo(zone))
    return ngettext("at %(time)s", "at %(time)s", local.hour) % {
        "time": date_format(local, "G:i")}


def local_date(value, zone):
    local = timezone.localtime(value, ZoneInfo(zone))
    return date_format(local, pgettext("day, month and year", "j F Y"))


def signed_on(signature, zone):
    return _("You signed this agreement on %(date)s %(at_time)s.") % {
        "date": local_date(signature.signed_at, zone),
        "at_time": at_time(signature.signed_at, zone)}


# --- what the client is told --------------------------------------------------------------

def parties_for(client, agreement=None):
    clinician = agreement.clinician if agreement is not None else client.clinician
    return Parties(clinician_name=clinician.display_name, clinician_zone=clinician.time_zone,
                   client_zone=client.time_zone,
                   office_hours=tuple(availability.windows_for(clinician)),
                   resources=tuple(resources_for(client.country, client.region)),
                   today=timezone.localtime(timezone.now(), ZoneInfo(clinician.time_zone)).date())


def channel_status(result, client):
    """A short line for one channel, from the availability engine's answer."""
    if result.allowed:
        return _("Open now")
    if result.reason == "channel_closed":
        return _("Not part of your agreement")
    if result.reason == "crisis_resources_only":
        return _("Use the crisis lines")
    if result.next_seen_at is not None:
        return _("Closed now. Opens %(day)s %(at_time)s your time.") % {
            "day": local_day(result.next_seen_at, client.time_zone),
            "at_time": at_time(result.next_seen_at, client.time_zone)}
    return _("No hours set yet")


def next_read_sentence(result, client, name):
    """When a message sent now will be read, in the client's own zone."""
    if result.allowed:
        return _("%(name)s is in their reading hours right now.") % {"name": name}
    if result.next_seen_at is None:
        return _("%(name)s has no reading hours coming up yet. Bring what you want to say "
                 "to your next session.") % {"name": name}
    sentence = _("A message sent now will wait until %(name)s is next reading messages: "
                 "%(day)s %(at_time)s your time.") % {
        "name": name, "day": local_day(result.next_seen_at, client.time_zone),
        "at_time": at_time(result.next_seen_at, client.time_zone)}
    if result.reason == "time_off":
        sentence = _("%(name)s is away right now.") % {"name": name} + " " + sentence
    return sentence


def home_channels(client, signed):
    if not signed:
        return []
    rows = []
    for channel in availability.CHANNELS:
        result = availability.check(client, channel)
        rows.append({"label": CHANNEL_LABELS[channel], "open": result.allowed,
                     "status": channel_status(result, client)})
    return rows


def reading_lines(client, agreement):
    """The "when will my message be read" lines, only when messages are part of the deal."""
    if not (is_signed(agreement) and agreement.inbox_open):
        return []
    parties = parties_for(client, agreement)
    result = availability.check(client, "inbox")
    return [reading_hours_sentence(parties),
            next_read_sentence(result, client, parties.clinician_name)]


# --- pages --------------------------------------------------------------------------------

@login_required
@require_GET
def client_home(request):
    client = own_client(request.user)
    agreement = current_agreement(client)
    signed = is_signed(agreement)
    signature_line = signed_on(agreement.signature, client.time_zone) if signed else ""
    return render(request, "agreements/client/home.html", {
        "client": client, "clinician": client.clinician, "agreement": agreement,
        "signed": signed, "signature_line": signature_line,
        "channels": home_channels(client, signed),
        "reading_lines": reading_lines(client, agreement),
    })


def agreement_page(request, client, agreement, *, error="", status=200):
    """Render the current agreement; reading it is recorded in the audit trail."""
    context = {"client": client, "agreement": agreement, "error": error}
    if agreement is not None:
        with transaction.atomic():
            view_agreement(request.user, agreement, request=request)
        signed = is_signed(agreement)
        context.update(
            sections=build_sections(agreement, parties_for(client, agreement)),
            signed=signed, clinician=agreement.clinician,
            offered_on=local_date(agreement.created_at, client.time_zone),
            signature_line=signed_on(agreement.signature, client.time_zone) if signed else "")
    return render(request, "agreements/client/agreement.html", context, status=status)


@login_required
@require_GET
def client_agreement(request):
    client = own_client(request.user)
    return agreement_page(request, client, current_agreement(client))


def posted_version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@require_POST
def client_agreement_sign(request):
    client = own_client(request.user)
    agreement = current_agreement(client)
    if agreement is None:
        messages.error(request, _("There is no agreement to sign yet."))
        return redirect("client_agreement")
    if posted_version(request) != agreement.version:
        messages.error(request, _("This agreement changed while you were reading it. Nothing "
                                  "was signed. Please read the new version below, then sign "
                                  "it."))
        return redirect("client_agreement")
    if is_signed(agreement):
        messages.info(request, signed_on(agreement.signature, client.time_zone))
        return redirect("client_agreement")
    if request.POST.get("agree") != "yes":
        error = _("Please tick the box to say you have read the agreement and agree to it.")
        return agreement_page(request, client, agreement, error=error, status=400)
    try:
        sign_agreement(request.user, agreement, ip_address=request.META.get("REMOTE_ADDR"),
                       user_agent=request.META.get("HTTP_USER_AGENT", ""), request=request)
    except SignatureRefused as refusal:
        messages.error(request, refusal.messages[0])
        return redirect("client_agreement")
    messages.success(request, _("Thank you. You signed your agreement. The ways to stay in "
                                "touch that it describes are open for you now."))
    return redirect("client_agreement")


@login_required
@require_GET
def client_agreement_history(request):
    client = own_client(request.user)
    versions = list(ConnectionAgreement.objects.filter(client=client)
                    .select_related("signature").order_by("-version"))
    with transaction.atomic():
        record(request.user, "view", "ConnectionAgreementHistory", client.pk, request=request,
               client=client, detail={"versions": len(versions)})
    zone = client.time_zone
    rows = [{"version": a.version, "current": i == 0,
             "offered_on": local_date(a.created_at, zone),
             "signed_on": local_date(a.signature.signed_at, zone) if is_signed(a) else ""}
            for i, a in enumerate(versions)]
    return render(request, "agreements/client/history.html", {"client": client, "rows": rows})
