"""Staff pages: the caseload, a client's agreements, offering a new version, office hours,
time off, licences and the practice's defaults.

Views stay thin: they check who is asking through `accounts.access`, parse forms, and call the
rules in `agreements.services`, `agreements.availability` and `accounts.services`. Dates are
formatted here, in Python, in the viewer's own zone, so row-heavy templates stay cheap.
"""

import html
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from interlude.accounts import services as accounts
from interlude.accounts.access import get_client, own_clinician, visible_clients, visible_clinicians
from interlude.accounts.decorators import staff_required
from interlude.accounts.forms import LicenseForm
from interlude.accounts.models import Clinician, License, Practice
from interlude.audit.service import record

from . import availability, services
from .forms import (
    AgreementForm,
    InviteClientForm,
    PracticeDefaultsForm,
    TimeOffForm,
    WeeklyHoursForm,
)
from .models import WEEKDAYS, ConnectionAgreement, PracticeHours, TimeOff
from .presets import PRESETS

CLIENTS_PER_PAGE = 50
DATE = "j M Y"
DATE_TIME = "D j M Y, H:i"
CHANNEL_LABELS = {
    "self_help": gettext_lazy("Self-help tools"),
    "automated": gettext_lazy("Automated messages"),
    "inbox": gettext_lazy("Inbox"),
    "checkins": gettext_lazy("Check-ins"),
    "crisis": gettext_lazy("Crisis route"),
}
CRISIS_SHORT = {
    "resources": gettext_lazy("crisis resources"),
    "clinician": gettext_lazy("crisis: clinician"),
    "on_call": gettext_lazy("crisis: on-call rota"),
}
CHANNEL_WORDS = (("self_help_open", gettext_lazy("self-help")),
                 ("automated_open", gettext_lazy("automated")),
                 ("inbox_open", gettext_lazy("inbox")))
CHANNEL_FIELDS = ("self_help_open", "automated_open", "inbox_open", "checkins_open",
                  "checkin_weekly_cap", "crisis_route")



# --- formatting ------------------------------------------------------------------------------

def when(instant, zone, fmt=DATE_TIME):
    if instant is None:
        return ""
    return dateformat.format(instant.astimezone(ZoneInfo(zone)), fmt)


VIEWER_ZONE_SQL = (
    "SELECT COALESCE((SELECT time_zone FROM accounts_clinician WHERE user_id = %s),"
    " (SELECT time_zone FROM accounts_practice WHERE id = %s))")


def viewer_zone(user):
    """The zone a staff member reads times in: their own as a clinician, else the practice's."""
    # Plain SQL: every staff list page asks, and the ORM's query building costs several times
    # this indexed lookup (measured with `make bench`).
    with connection.cursor() as cursor:
        cursor.execute(VIEWER_ZONE_SQL, [user.pk, user.practice_id])
        row = cursor.fetchone()
    return (row and row[0]) or "UTC"


def channels_summary(agreement, words):
    """The open channels in a few words, e.g. self-help, inbox, check-ins (2 a week)."""
    parts = [word for field, word in words.channels if agreement[field]]
    if agreement["checkins_open"]:
        parts.append(words.checkins % {"cap": agreement["checkin_weekly_cap"]})
    route = agreement["crisis_route"]
    parts.append(words.crisis.get(route, route))
    return ", ".join(parts)


def hours_text(windows):
    """[[weekday, "HH:MM", "HH:MM"], ...] as "Monday 08:00-20:00; ..."."""
    names = dict(WEEKDAYS)
    return "; ".join(f"{names[day]} {start}–{end}" for day, start, end in windows)


# --- the caseload ------------------------------------------------------------------------------

LIST_FIELDS = ("pk", "display_name", "country", "region", "time_zone",
               "clinician__display_name")
AGREEMENT_LIST_FIELDS = ("pk", "version", "signature__signed_at", *CHANNEL_FIELDS)


class ListWords:
    """Translated words for list rows, looked up once per page rather than once per row."""

    def __init__(self, zone):
        self.zone = zone
        self.channels = [(field, str(word)) for field, word in CHANNEL_WORDS]
        self.checkins = _("check-ins (%(cap)s a week)")
        self.crisis = {route: str(words) for route, words in CRISIS_SHORT.items()}
        self.no_agreement = _("No agreement")
        self.awaiting = _("Awaiting signature")
        self.signed_on = _("Signed on %(date)s")
        self.tz = ZoneInfo(zone or "UTC")
        self.months = {n: str(name) for n, name in MONTHS_3.items()}

    def date(self, instant):
        """Same output as dateformat's "j M Y", without its per-call cost on 50 rows."""
        local = instant.astimezone(self.tz)
        return f"{local.day} {self.months[local.month].title()} {local.year}"


def current_agreements(clients):
    """Each client with the id of its newest agreement version (one subquery, same query)."""
    newest = ConnectionAgreement.objects.filter(client=OuterRef("pk")).order_by("-version")
    return clients.annotate(agreement_id=Subquery(newest.values("pk")[:1]))


def client_rows(page_rows, words):
    """The rows of one page, with their agreements fetched in a single query."""
    ids = [row["agreement_id"] for row in page_rows if row["agreement_id"]]
    agreements = {a["pk"]: a for a in ConnectionAgreement.objects.filter(pk__in=ids)
                  .values(*AGREEMENT_LIST_FIELDS)} if ids else {}
    detail_prefix = reverse("client_list")  # client_detail is clients/<pk>/
    return [client_row(row, agreements.get(row["agreement_id"]), words, detail_prefix)
            for row in page_rows]


def client_row(row, agreement, words, detail_prefix):
    place = f"{row['country']}-{row['region']}" if row["region"] else row["country"]
    cells = {"url": f"{detail_prefix}{row['pk']}/", "name": row["display_name"],
             "jurisdiction": place, "time_zone": row["time_zone"],
             "clinician": row["clinician__display_name"]}
    if agreement is None:
        cells.update(version="—", status=words.no_agreement, status_class="none", channels="—")
        return cells
    signed_at = agreement["signature__signed_at"]
    cells.update(
        version=agreement["version"],
        status=words.awaiting if signed_at is None else words.signed_on % {
            "date": words.date(signed_at)},
        status_class="wait" if signed_at is None else "ok",
        channels=channels_summary(agreement, words))
    return cells


@staff_required
def client_list(request):
    user = request.user
    query = request.GET.get("q", "").strip()[:100]
    clients = visible_clients(user).filter(is_active=True)
    if query:
        clients = clients.filter(display_name__icontains=query)
    clients = current_agreements(clients).order_by("display_name", "pk").values(
        *LIST_FIELDS, "agreement_id")
    page = Paginator(clients, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    zone = viewer_zone(user)
    rows = client_rows(list(page.object_list), ListWords(zone))
    return render(request, "agreements/staff/client_list.html", {
        "rows": rows, "table_body": table_body(rows, user.is_admin), "page": page,
        "query": query, "show_clinician": user.is_admin, "zone": zone,
    })


ROW_HTML = ('<tr><th scope="row"><a href="{url}">{name}</a></th>{clinician_cell}'
            '<td>{jurisdiction}</td><td>{time_zone}</td><td>{version}</td>'
            '<td><span class="badge {status_class}">{status}</span></td><td>{channels}</td></tr>')


def table_body(rows, show_clinician):
    """The rows as HTML, escaped here: the template language costs more than the rest of the
    page on a 50-row list (measured with `make bench`)."""
    out = []
    for row in rows:
        cells = {key: html.escape(str(value)) for key, value in row.items()}
        cells["clinician_cell"] = f"<td>{cells['clinician']}</td>" if show_clinician else ""
        out.append(ROW_HTML.format(**cells))
    return mark_safe("".join(out))  # noqa: S308 - every value above went through html.escape


# --- inviting a client ---------------------------------------------------------------------------

@never_cache
@staff_required
def client_invite(request):
    user = request.user
    # An admin chooses the clinician; a clinician invites to their own caseload.
    clinicians = visible_clinicians(user).order_by("display_name") if user.is_admin else None
    own = None if user.is_admin else own_clinician(user)
    form_kwargs = {"clinicians": clinicians, "country_choices": accounts.country_choices()}
    invited = None
    if request.method == "POST":
        form = InviteClientForm(request.POST, **form_kwargs)
        if form.is_valid():
            invited = _invite(request, form, own)
            if invited is not None:
                form = InviteClientForm(initial=_invite_initial(user), **form_kwargs)
    else:
        form = InviteClientForm(initial=_invite_initial(user), **form_kwargs)
    return render(request, "agreements/staff/client_invite.html", {"form": form,
                                                                    "invited": invited})


def _invite_initial(user):
    practice = Practice.objects.get(pk=user.practice_id)
    own = Clinician.objects.filter(user_id=user.pk).first()
    return {"time_zone": practice.time_zone, "country": practice.country, "language": "en",
            "clinician": own}


def _invite(request, form, own):
    data = form.cleaned_data
    clinician = data.get("clinician") or own
    try:
        client, token = accounts.invite_client(
            request.user, clinician, full_name=data["full_name"], email=data["email"],
            time_zone=data["time_zone"], country=data["country"], region=data["region"],
            language=data["language"], phone=data["phone"],
            preferred_channels=data["preferred_channels"], request=request)
    except PermissionDenied as error:
        raise Http404("No such clinician") from error
    except ValidationError as error:
        _add_errors(form, error)
        return None
    return {"client": client, "link": accounts.invitation_link(token),
            "sent": getattr(client, "invitation_sent", False)}


def _add_errors(form, error):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


# --- one client ----------------------------------------------------------------------------

@staff_required
def client_detail(request, pk):
    user = request.user
    client = get_client(user, pk)
    versions = list(client.agreements.select_related("clinician", "signature",
                                                     "signature__signed_by")
                    .order_by("-version"))
    current = versions[0] if versions else None
    with transaction.atomic():
        record(user, "view", "Client", client.pk, request=request, client=client)
        if current is not None:
            services.view_agreement(user, current, request=request)
    clinician = client.clinician
    zone = viewer_zone(user)
    return render(request, "agreements/staff/client_detail.html", {
        "client": client, "clinician": clinician,
        "place": accounts.jurisdiction_label(client.country, client.region),
        "covered": services.jurisdiction_covered(clinician, client),
        "versions": [_version_row(a, zone) for a in versions],
        "current": current,
        "current_summary": agreement_summary(current, clinician.time_zone) if current else [],
        "availability": availability_rows(client, current),
        "may_offer": clinician.user_id == user.pk,
        "zone": zone,
    })


def _version_row(agreement, zone):
    signature = agreement.signature if services.is_signed(agreement) else None
    return {"version": agreement.version, "preset": agreement.get_preset_display(),
            "created": when(agreement.created_at, zone),
            "signed": when(signature.signed_at, zone) if signature else "",
            "signed_by": str(signature.signed_by) if signature else ""}


def availability_rows(client, current):
    """Each channel now, with when the clinician will next see it in both people's zones.

    The facts `availability.check` loads for one channel are loaded once here for all five.
    """
    now = timezone.now()
    facts = availability.agreement_facts(current)
    office, crisis, time_off, zone = [], [], [], client.clinician.time_zone
    if facts.signed:
        clinician = current.clinician
        zone = clinician.time_zone
        office = availability.windows_for(clinician)
        crisis = availability.parse_crisis_hours(current.crisis_hours)
        horizon = now + timedelta(days=availability.HORIZON_DAYS + 2)
        time_off = availability.time_off_for(clinician, now, horizon)
    rows = []
    for channel in availability.CHANNELS:
        answer = availability.decide(channel, facts, office, crisis, zone, time_off, now)
        rows.append(_availability_row(channel, answer, zone, client.time_zone))
    return rows


# The engine stays free of Django, so its reasons are put into words (and translated) here;
# the times are already in the "next" columns.
REASON_TEXT = {
    "no_agreement": gettext_lazy("The client has no agreement yet."),
    "not_signed": gettext_lazy("The client has not signed the current agreement."),
    "channel_closed": gettext_lazy("This channel is not part of the agreement."),
    "always_open": gettext_lazy("Always open to the client."),
    "automated": gettext_lazy("Automated messages may be sent."),
    "in_office_hours": gettext_lazy("Within your office hours."),
    "outside_office_hours": gettext_lazy("Outside your office hours."),
    "time_off": gettext_lazy("You are on time off."),
    "no_office_hours": gettext_lazy("No office hours are set."),
    "crisis_resources_only": gettext_lazy("Crisis contact goes to the crisis lines only."),
    "in_crisis_hours": gettext_lazy("Within the crisis hours of the agreement."),
    "outside_crisis_hours": gettext_lazy("Outside the crisis hours of the agreement."),
    "no_crisis_hours": gettext_lazy("No crisis hours are set."),
    "on_call_rota": gettext_lazy("Crisis contact goes to the practice's on-call rota."),
}


def _availability_row(channel, answer, clinician_zone, client_zone):
    if answer.allowed:
        seen_by_clinician = seen_by_client = _("now")
    else:
        seen_by_clinician = when(answer.next_seen_at, clinician_zone) or "—"
        seen_by_client = when(answer.next_seen_at, client_zone) or "—"
    return {"channel": CHANNEL_LABELS[channel], "allowed": answer.allowed,
            "reason": answer.reason, "detail": REASON_TEXT.get(answer.reason, answer.detail),
            "next_clinician": seen_by_clinician, "next_client": seen_by_client}


def agreement_summary(agreement, clinician_zone):
    """The agreement's terms as (label, value) pairs, ready to print."""
    yes, no = _("Yes"), _("No")
    rows = [
        (_("Channels"), channels_summary(
            {name: getattr(agreement, name) for name in CHANNEL_FIELDS}, ListWords(None))),
        (_("Preset"), agreement.get_preset_display()),
    ]
    if agreement.inbox_open:
        rows += [(_("Inbox promise"), agreement.inbox_promise),
                 (_("Read within (business days)"), agreement.inbox_response_business_days),
                 (_("May not reply"), yes if agreement.inbox_may_not_reply else no)]
    if agreement.checkins_open:
        rows.append((_("Check-ins"), _("up to %(cap)s a week, %(minutes)s minutes each") % {
            "cap": agreement.checkin_weekly_cap, "minutes": agreement.checkin_minutes}))
    rows.append((_("Crisis route"), agreement.get_crisis_route_display()))
    if agreement.crisis_hours:
        rows.append((_("Crisis hours (%(zone)s)") % {"zone": clinician_zone},
                     hours_text(agreement.crisis_hours)))
    if agreement.coaching_calls:
        rows.append((_("Phone coaching"), _("calls of up to %(minutes)s minutes") % {
            "minutes": agreement.coaching_call_minutes}))
    rows.append((_("24-hour rule after self-harm"),
                 yes if agreement.twenty_four_hour_rule else no))
    return [(label, "—" if value is None or value == "" else value) for label, value in rows]


# --- offering a new version --------------------------------------------------------------------

@staff_required
def agreement_new(request, pk):
    user = request.user
    client = get_client(user, pk)
    # Admins may read a client's agreements; only the client's clinician offers one.
    if client.clinician.user_id != user.pk:
        raise PermissionDenied("Only the client's clinician may offer an agreement.")
    covered = services.jurisdiction_covered(client.clinician, client)
    place = accounts.jurisdiction_label(client.country, client.region)
    risk_at = services.inbox_risk(client)
    form_kwargs = {"covered": covered, "jurisdiction": place,
                   "inbox_risk": services.inbox_risk_text(client, risk_at) if risk_at else ""}
    source = None
    if request.method == "POST":
        form = AgreementForm(request.POST, **form_kwargs)
        if form.is_valid():
            agreement = _offer(request, client, form)
            if agreement is not None:
                messages.success(request, _(
                    "Version %(version)s offered; channels stay closed until %(client)s signs "
                    "it.") % {"version": agreement.version, "client": client.display_name})
                return redirect("client_detail", pk=client.pk)
    else:
        preset, fields, source = _starting_point(request, client)
        form = AgreementForm(initial=AgreementForm.initial_from(fields, preset), **form_kwargs)
    return render(request, "agreements/staff/agreement_form.html", {
        "client": client, "form": form, "covered": covered, "place": place, "source": source,
        "presets": _preset_links(form), "crisis_days": form.crisis.days(),
        "clinician_zone": client.clinician.time_zone,
    })


def _starting_point(request, client):
    """A chosen preset; else the current version, to change it; else the clinician's modality."""
    preset = request.GET.get("preset")
    if preset in PRESETS:
        return preset, services.initial_fields(client, preset), None
    current = services.current_agreement(client)
    if current is not None:
        services.view_agreement(request.user, current, request=request)
        fields = {name: getattr(current, name) for name in services.AGREEMENT_FIELDS}
        return current.preset, fields, current
    preset = client.clinician.modality if client.clinician.modality in PRESETS else "general"
    return preset, services.initial_fields(client, preset), None


def _preset_links(form):
    chosen = form["preset"].value()
    return [{"key": key, "label": preset["label"], "summary": preset["summary"],
             "chosen": key == chosen} for key, preset in PRESETS.items()]


def _offer(request, client, form):
    try:
        return services.create_agreement(
            request.user, client, form.agreement_fields(), preset=form.cleaned_data["preset"],
            acknowledge_jurisdiction=form.cleaned_data.get("acknowledge_jurisdiction", False),
            confirm_open_inbox_risk=form.cleaned_data.get("confirm_open_inbox_risk", False),
            request=request)
    except services.JurisdictionNotCovered as error:
        field = "acknowledge_jurisdiction" if "acknowledge_jurisdiction" in form.fields else None
        form.add_error(field, error.messages)
    except services.OpenInboxRiskUnconfirmed as error:
        # An urgent message arrived while the form was open: ask again, with the warning.
        field = "confirm_open_inbox_risk" if "confirm_open_inbox_risk" in form.fields else None
        form.add_error(field, error.messages)
    except ValidationError as error:
        form.add_service_errors(error)
    return None


@staff_required
def agreement_detail(request, pk, version):
    user = request.user
    # One query for the client (through the access rules), the version and its signature.
    agreement = get_object_or_404(
        ConnectionAgreement.objects.select_related(
            "client", "signature", "signature__signed_by", "created_by", "clinician"),
        client__in=visible_clients(user), client_id=pk, version=version)
    client = agreement.client
    services.view_agreement(user, agreement, request=request)
    own = agreement.clinician.user_id == user.pk
    zone = agreement.clinician.time_zone if own else viewer_zone(user)
    signature = agreement.signature if services.is_signed(agreement) else None
    return render(request, "agreements/staff/agreement_detail.html", {
        "client": client, "agreement": agreement,
        "summary": agreement_summary(agreement, agreement.clinician.time_zone),
        "created": when(agreement.created_at, zone),
        "acknowledged": when(agreement.jurisdiction_acknowledged_at, zone),
        "signature": signature,
        "signed": when(signature.signed_at, zone) if signature else "",
        "zone": zone,
    })


# --- office hours and time off ----------------------------------------------------------------

@login_required
def office_hours(request):
    clinician = own_clinician(request.user)
    zone = ZoneInfo(clinician.time_zone)
    own_rows = list(clinician.office_hours.all())
    hours_form = WeeklyHoursForm.from_rows(own_rows or clinician.practice.default_hours.all())
    time_off_form = TimeOffForm(prefix="off")
    if request.method == "POST" and request.POST.get("form") == "hours":
        hours_form = WeeklyHoursForm(request.POST)
        if _save_hours(request, clinician, hours_form):
            return redirect("office_hours")
    elif request.method == "POST" and request.POST.get("form") == "time_off":
        time_off_form = TimeOffForm(request.POST, prefix="off")
        if _save_time_off(request, clinician, time_off_form, zone):
            return redirect("office_hours")
    upcoming = TimeOff.objects.filter(clinician=clinician, ends_at__gt=timezone.now())
    return render(request, "agreements/staff/office_hours.html", {
        "clinician": clinician, "hours_form": hours_form, "days": hours_form.weekly.days(),
        "from_practice": not own_rows and request.method == "GET",
        "time_off_form": time_off_form,
        "time_off": [_time_off_row(row, clinician.time_zone) for row in upcoming],
    })


def _save_hours(request, clinician, form):
    if not form.is_valid():
        return False
    try:
        services.set_office_hours(request.user, clinician, form.cleaned_data["windows"],
                                  request=request)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, _("Your office hours are saved."))
    return True


def _save_time_off(request, clinician, form, zone):
    # Date-times typed on this page are the clinician's own clock time.
    with timezone.override(zone):
        valid = form.is_valid()
    if not valid:
        return False
    data = form.cleaned_data
    try:
        services.add_time_off(request.user, clinician, data["starts_at"], data["ends_at"],
                              kind=data["kind"], label=data["label"], request=request)
    except ValidationError as error:
        _add_errors(form, error)
        return False
    messages.success(request, _("Time off added."))
    return True


def _time_off_row(row, zone):
    return {"pk": row.pk, "kind": row.get_kind_display(), "label": row.label,
            "starts": when(row.starts_at, zone), "ends": when(row.ends_at, zone)}


@require_POST
@login_required
def time_off_delete(request, pk):
    clinician = own_clinician(request.user)
    row = get_object_or_404(TimeOff, pk=pk, clinician=clinician)
    services.remove_time_off(request.user, row, request=request)
    messages.success(request, _("Time off removed."))
    return redirect("office_hours")


# --- licences --------------------------------------------------------------------------------

@login_required
def licenses(request):
    clinician = own_clinician(request.user)
    form = LicenseForm()
    if request.method == "POST":
        form = LicenseForm(request.POST)
        if form.is_valid() and _add_license(request, clinician, form):
            return redirect("licenses")
    rows = [{"pk": lic.pk, "place": accounts.jurisdiction_label(lic.country, lic.region),
             "number": lic.number} for lic in clinician.licenses.order_by("country", "region")]
    return render(request, "agreements/staff/licenses.html", {
        "clinician": clinician, "form": form, "licenses": rows,
    })


def _add_license(request, clinician, form):
    data = form.cleaned_data
    try:
        accounts.add_license(request.user, clinician, country=data["country"],
                             region=data["region"], number=data["number"], request=request)
    except ValidationError as error:
        _add_errors(form, error)
        return False
    messages.success(request, _("Licence recorded."))
    return True


@require_POST
@login_required
def license_delete(request, pk):
    clinician = own_clinician(request.user)
    row = get_object_or_404(License, pk=pk, clinician=clinician)
    accounts.remove_license(request.user, row, request=request)
    messages.success(request, _("Licence removed."))
    return redirect("licenses")


# --- practice defaults -----------------------------------------------------------------------

@login_required
def practice_defaults(request):
    user = request.user
    if not user.is_admin or user.practice_id is None:
        raise Http404("Practice admins only")
    practice = Practice.objects.get(pk=user.practice_id)
    defaults = services.practice_defaults(practice)
    if request.method == "POST":
        form = PracticeDefaultsForm(request.POST, prefix="defaults")
        hours_form = WeeklyHoursForm(request.POST, prefix="hours")
        if _save_defaults(request, practice, form, hours_form):
            messages.success(request, _("The practice defaults are saved."))
            return redirect("practice_defaults")
    else:
        form = PracticeDefaultsForm(prefix="defaults", initial={
            name: getattr(defaults, name) for name in PracticeDefaultsForm.base_fields})
        hours_form = WeeklyHoursForm.from_rows(practice.default_hours.all(), prefix="hours")
    return render(request, "agreements/staff/practice_defaults.html", {
        "practice": practice, "form": form, "hours_form": hours_form,
        "days": hours_form.weekly.days(),
    })


def _save_defaults(request, practice, form, hours_form):
    if not (form.is_valid() & hours_form.is_valid()):
        return False
    try:
        with transaction.atomic():
            services.update_practice_defaults(request.user, practice, form.cleaned_data,
                                              request=request)
            set_practice_hours(request.user, practice, hours_form.cleaned_data["windows"],
                               request=request)
    except ValidationError as error:
        _add_errors(form, error)
        return False
    return True


def set_practice_hours(actor, practice, windows, request=None):
    """Replace the practice's default weekly hours (windows already checked by the form)."""
    with transaction.atomic():
        PracticeHours.objects.filter(practice=practice).delete()
        PracticeHours.objects.bulk_create(
            PracticeHours(practice=practice, weekday=day, start=start, end=end)
            for day, start, end in windows)
        record(actor, "update", "PracticeHours", practice.pk, request=request,
               practice=practice, detail={"windows": len(windows)})
