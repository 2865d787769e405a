"""The rules for connection agreements, office hours and time off.

Pages, the API and the demo all call these functions; each change is one transaction with its
audit event.
"""

import re
from datetime import time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from interlude.audit.service import record

from .availability import current_agreement, is_signed  # noqa: F401 - part of this API
from .models import (
    AgreementSignature,
    ConnectionAgreement,
    OfficeHours,
    PracticeDefaults,
    TimeOff,
)
from .presets import preset_fields

AGREEMENT_FIELDS = (
    "self_help_open", "automated_open", "inbox_open", "inbox_promise",
    "inbox_response_business_days", "inbox_may_not_reply", "checkins_open",
    "checkin_weekly_cap", "checkin_minutes", "crisis_route", "crisis_hours", "coaching_calls",
    "coaching_call_minutes", "twenty_four_hour_rule", "notes",
)
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class JurisdictionNotCovered(ValidationError):
    """The clinician holds no licence for the client's jurisdiction and has not acknowledged it."""


class OpenInboxRiskUnconfirmed(ValidationError):
    """The agreement opens the inbox for a client with a risk history, unconfirmed."""


def practice_defaults(practice):
    defaults, _created = PracticeDefaults.objects.get_or_create(practice=practice)
    return defaults


def initial_fields(client, preset):
    return preset_fields(preset, practice_defaults(client.practice))


def jurisdiction_covered(clinician, client):
    return any(lic.covers(client.country, client.region) for lic in clinician.licenses.all())


# --- validation -------------------------------------------------------------------------

def parse_crisis_hours(value):
    """[[weekday, "HH:MM", "HH:MM"], ...] -> the same, validated; raises ValidationError."""
    if not isinstance(value, list):
        raise ValidationError(_("Crisis hours must be a list of weekly windows."))
    windows = []
    for item in value:
        if (not isinstance(item, (list, tuple)) or len(item) != 3
                or not isinstance(item[0], int) or not 0 <= item[0] <= 6
                or not all(isinstance(t, str) and HHMM.match(t) for t in item[1:])):
            raise ValidationError(
                _("Each crisis window needs a weekday (0-6) and two HH:MM times."))
        if item[2] <= item[1]:
            raise ValidationError(_("A crisis window must end after it starts."))
        windows.append([item[0], item[1], item[2]])
    return sorted(windows)


def validate_agreement(fields):
    """Field rules that hold whatever the preset; raises one ValidationError with every problem."""
    errors = {}
    if fields.get("inbox_open") and not (fields.get("inbox_promise") or "").strip():
        errors["inbox_promise"] = _("Say what the client can expect when the inbox is open.")
    if fields.get("checkins_open"):
        errors.update(_checkin_errors(fields))
    errors.update(_crisis_errors(fields))
    if fields.get("coaching_calls") and not 5 <= (fields.get("coaching_call_minutes") or 0) <= 15:
        errors["coaching_call_minutes"] = _("Coaching calls are brief: 5 to 15 minutes.")
    if errors:
        raise ValidationError(errors)


def _checkin_errors(fields):
    errors = {}
    if not 1 <= (fields.get("checkin_weekly_cap") or 0) <= 7:
        errors["checkin_weekly_cap"] = _("The weekly cap must be between 1 and 7 check-ins.")
    if not 5 <= (fields.get("checkin_minutes") or 0) <= 30:
        errors["checkin_minutes"] = _("A check-in lasts between 5 and 30 minutes.")
    return errors


def _crisis_errors(fields):
    errors = {}
    route = fields.get("crisis_route")
    if route not in ConnectionAgreement.CrisisRoute.values:
        errors["crisis_route"] = _("Choose a crisis route.")
    try:
        hours = parse_crisis_hours(fields.get("crisis_hours") or [])
    except ValidationError as exc:
        errors["crisis_hours"] = exc.messages[0]
    else:
        if route == ConnectionAgreement.CrisisRoute.CLINICIAN and not hours:
            errors["crisis_hours"] = _("Set the hours in which crisis contact reaches you.")
    return errors


# --- agreements -------------------------------------------------------------------------

def inbox_risk(client):
    """When the client last sent an urgent message (or had an urgent alert), if the inbox is
    closed now, so that opening it deserves a second thought; else None."""
    from interlude.inbox.staff import last_urgent_at

    current = current_agreement(client)
    if current is not None and current.inbox_open:
        return None
    return last_urgent_at(client)


def inbox_risk_text(client, last_at):
    day = dateformat.format(last_at.astimezone(ZoneInfo(client.clinician.time_zone)), "j M Y")
    return _("This client has sent urgent messages before (last on %(date)s). An open inbox is "
             "read only in your office hours: a message sent at night or on a weekend waits "
             "for you, and only an urgent one reaches anybody sooner, by the crisis route of "
             "the agreement. Check the safety plan and the crisis route before opening it.") % {
        "date": day}


def _check_inbox_risk(client, fields, confirmed):
    """The instant of the risk history when this version opens the inbox; raises unless the
    clinician confirmed it."""
    if not fields.get("inbox_open"):
        return None
    last_at = inbox_risk(client)
    if last_at is not None and not confirmed:
        raise OpenInboxRiskUnconfirmed(
            inbox_risk_text(client, last_at) + " "
            + _("Confirm that you have weighed this to open the inbox."))
    return last_at


def create_agreement(actor, client, fields, *, preset="general", acknowledge_jurisdiction=False,
                     confirm_open_inbox_risk=False, request=None):
    """Offer a new version of the client's agreement. The previous version stays on record;
    the channels close until the client signs this one.

    Opening the inbox for a client with a risk history needs `confirm_open_inbox_risk`.
    """
    fields = {k: fields[k] for k in AGREEMENT_FIELDS if k in fields}
    validate_agreement(fields)
    fields["crisis_hours"] = parse_crisis_hours(fields.get("crisis_hours") or [])
    clinician = client.clinician
    covered = jurisdiction_covered(clinician, client)
    if not covered and not acknowledge_jurisdiction:
        raise JurisdictionNotCovered(
            _("%(name)s lives in %(where)s, where %(clinician)s holds no licence. Telehealth "
              "across borders is governed by the client's location: acknowledge to continue.")
            % {"name": client.display_name, "where": client.jurisdiction,
               "clinician": clinician.display_name})
    risk_at = _check_inbox_risk(client, fields, confirm_open_inbox_risk)
    with transaction.atomic():
        # Lock the client's row so two clinicians saving at once cannot take the same version.
        type(client).objects.select_for_update().filter(pk=client.pk).first()
        latest = client.agreements.aggregate(v=Max("version"))["v"] or 0
        agreement = ConnectionAgreement.objects.create(
            client=client, clinician=clinician, version=latest + 1, preset=preset,
            created_by=actor, jurisdiction_acknowledged_at=None if covered else timezone.now(),
            **fields)
        record(actor, "create", "ConnectionAgreement", agreement.pk, request=request,
               client=client, detail={"version": agreement.version, "preset": preset})
        _replan_reminders(client)
        if not covered:
            record(actor, "jurisdiction_acknowledged", "ConnectionAgreement", agreement.pk,
                   request=request, client=client,
                   detail={"version": agreement.version, "jurisdiction": client.jurisdiction})
        if risk_at is not None:
            record(actor, "confirm_open_inbox_risk", "ConnectionAgreement", agreement.pk,
                   request=request, client=client,
                   detail={"version": agreement.version, "last_urgent_at": risk_at})
    return agreement


def _replan_reminders(client):
    # Reminders are automated messages: they follow the agreement's signed state.
    from interlude.outreach.reminders import replan_client_after_commit

    replan_client_after_commit(client)


class SignatureRefused(ValidationError):
    pass


def sign_agreement(user, agreement, *, ip_address=None, user_agent="", request=None):
    """The client signs the current version of their own agreement."""
    with transaction.atomic():
        client = agreement.client
        if client.user_id != user.pk:
            raise SignatureRefused(_("Only the client can sign their agreement."))
        current = current_agreement(client)
        if current is None or current.pk != agreement.pk:
            raise SignatureRefused(_("This version has been replaced; please read the new one."))
        if is_signed(agreement):
            raise SignatureRefused(_("You have already signed this version."))
        signature = AgreementSignature.objects.create(
            agreement=agreement, signed_by=user, version=agreement.version,
            ip_address=ip_address, user_agent=(user_agent or "")[:300])
        record(user, "sign", "ConnectionAgreement", agreement.pk, request=request, client=client,
               detail={"version": agreement.version})
        _replan_reminders(client)
    return signature


def view_agreement(actor, agreement, request=None):
    """Reading an agreement is reading clinical data: audit it."""
    record(actor, "view", "ConnectionAgreement", agreement.pk, request=request,
           client=agreement.client_id, detail={"version": agreement.version})
    return agreement


# --- office hours and time off ------------------------------------------------------------

def _check_windows(windows):
    by_day = {}
    for day, start, end in windows:
        if not 0 <= day <= 6:
            raise ValidationError(_("Weekday must be 0 (Monday) to 6 (Sunday)."))
        if not isinstance(start, time) or not isinstance(end, time) or end <= start:
            raise ValidationError(_("Office hours must end after they start, on the same day."))
        by_day.setdefault(day, []).append((start, end))
    for spans in by_day.values():
        spans.sort()
        for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
            if s2 < e1:
                raise ValidationError(_("Office hours on the same day must not overlap."))


def set_office_hours(actor, clinician, windows, request=None):
    """Replace the clinician's weekly hours with `windows`: [(weekday, start, end), ...]."""
    windows = sorted(windows)
    _check_windows(windows)
    with transaction.atomic():
        OfficeHours.objects.filter(clinician=clinician).delete()
        OfficeHours.objects.bulk_create(
            OfficeHours(clinician=clinician, weekday=d, start=s, end=e) for d, s, e in windows)
        record(actor, "update", "OfficeHours", clinician.pk, request=request,
               detail={"windows": len(windows)})


def add_time_off(actor, clinician, starts_at, ends_at, kind="vacation", label="", request=None):
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Time off must end after it starts.")})
    with transaction.atomic():
        row = TimeOff.objects.create(clinician=clinician, starts_at=starts_at, ends_at=ends_at,
                                     kind=kind, label=label)
        record(actor, "create", "TimeOff", row.pk, request=request, detail={"kind": kind})
    return row


def remove_time_off(actor, time_off, request=None):
    with transaction.atomic():
        pk = time_off.pk
        time_off.delete()
        record(actor, "delete", "TimeOff", pk, request=request)


def update_practice_defaults(actor, practice, values, request=None):
    allowed = {"inbox_promise", "inbox_response_business_days", "checkin_weekly_cap",
               "checkin_minutes", "crisis_route"}
    with transaction.atomic():
        defaults = practice_defaults(practice)
        for key, value in values.items():
            if key in allowed:
                setattr(defaults, key, value)
        defaults.full_clean()
        defaults.save()
        record(actor, "update", "PracticeDefaults", defaults.pk, request=request,
               practice=practice, detail={"fields": sorted(set(values) & allowed)})
    return defaults


def copy_practice_hours(clinician):
    """A clinician without hours of their own starts from the practice's default hours."""
    if clinician.office_hours.exists():
        return
    OfficeHours.objects.bulk_create(
        OfficeHours(clinician=clinician, weekday=h.weekday, start=h.start, end=h.end)
        for h in clinician.practice.default_hours.all())
