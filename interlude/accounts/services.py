"""Rules for people and their logins: inviting clients, accepting invitations, the second
factor, failed-login locks, client profiles and clinicians' licences.

Views, the API and commands call these functions; each change is one transaction with its
audit event inside it.
"""

import logging
import re
from base64 import b32encode
from datetime import timedelta
from smtplib import SMTPException

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from interlude.audit.models import AuditEvent
from interlude.audit.service import record

from .models import CHANNEL_CHOICES, TIME_ZONE_CHOICES, Client, Invitation, License, User

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"
TOTP_DEVICE_NAME = "authenticator app"

# Failed logins are read back from the audit trail, so a lock holds across processes and
# restarts without a table of its own. Refused attempts during a lock do not extend it.
COUNTED_FAILURES = ("bad_password", "bad_code")
FAILURE_WINDOW_MINUTES = 15

_TIME_ZONES = {tz for tz, _label in TIME_ZONE_CHOICES}
_CHANNELS = {value for value, _label in CHANNEL_CHOICES}
_PHONE = re.compile(r"^\+?[0-9 ().-]{7,25}$")

COUNTRY_NAMES = {
    "AR": gettext_lazy("Argentina"), "AT": gettext_lazy("Austria"),
    "AU": gettext_lazy("Australia"), "BE": gettext_lazy("Belgium"),
    "BG": gettext_lazy("Bulgaria"), "BO": gettext_lazy("Bolivia"),
    "BR": gettext_lazy("Brazil"), "CA": gettext_lazy("Canada"),
    "CH": gettext_lazy("Switzerland"), "CL": gettext_lazy("Chile"),
    "CO": gettext_lazy("Colombia"), "CR": gettext_lazy("Costa Rica"),
    "CU": gettext_lazy("Cuba"), "CY": gettext_lazy("Cyprus"),
    "CZ": gettext_lazy("Czechia"), "DE": gettext_lazy("Germany"),
    "DK": gettext_lazy("Denmark"), "DO": gettext_lazy("Dominican Republic"),
    "EC": gettext_lazy("Ecuador"), "EE": gettext_lazy("Estonia"),
    "ES": gettext_lazy("Spain"), "FI": gettext_lazy("Finland"),
    "FR": gettext_lazy("France"), "GB": gettext_lazy("United Kingdom"),
    "GR": gettext_lazy("Greece"), "GT": gettext_lazy("Guatemala"),
    "HN": gettext_lazy("Honduras"), "HR": gettext_lazy("Croatia"),
    "HU": gettext_lazy("Hungary"), "IE": gettext_lazy("Ireland"),
    "IL": gettext_lazy("Israel"), "IN": gettext_lazy("India"),
    "IS": gettext_lazy("Iceland"), "IT": gettext_lazy("Italy"),
    "JP": gettext_lazy("Japan"), "LT": gettext_lazy("Lithuania"),
    "LU": gettext_lazy("Luxembourg"), "LV": gettext_lazy("Latvia"),
    "MT": gettext_lazy("Malta"), "MX": gettext_lazy("Mexico"),
    "NI": gettext_lazy("Nicaragua"), "NL": gettext_lazy("Netherlands"),
    "NO": gettext_lazy("Norway"), "NZ": gettext_lazy("New Zealand"),
    "PA": gettext_lazy("Panama"), "PE": gettext_lazy("Peru"),
    "PH": gettext_lazy("Philippines"), "PL": gettext_lazy("Poland"),
    "PR": gettext_lazy("Puerto Rico"), "PT": gettext_lazy("Portugal"),
    "PY": gettext_lazy("Paraguay"), "RO": gettext_lazy("Romania"),
    "SE": gettext_lazy("Sweden"), "SG": gettext_lazy("Singapore"),
    "SI": gettext_lazy("Slovenia"), "SK": gettext_lazy("Slovakia"),
    "SV": gettext_lazy("El Salvador"), "UY": gettext_lazy("Uruguay"),
    "US": gettext_lazy("United States"), "VE": gettext_lazy("Venezuela"),
    "ZA": gettext_lazy("South Africa"),
}

# States, provinces and territories where licensing and crisis lines differ by region.
REGION_NAMES = {
    "US": {
        "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
        "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
        "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
        "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
        "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
        "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
        "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
        "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
        "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
        "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
        "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
        "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    },
    "CA": {
        "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
        "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
        "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
        "SK": "Saskatchewan", "YT": "Yukon",
    },
    "AU": {
        "ACT": "Australian Capital Territory", "NSW": "New South Wales",
        "NT": "Northern Territory", "QLD": "Queensland", "SA": "South Australia",
        "TAS": "Tasmania", "VIC": "Victoria", "WA": "Western Australia",
    },
}


def country_choices():
    return sorted(((code, str(name)) for code, name in COUNTRY_NAMES.items()),
                  key=lambda pair: pair[1])


def jurisdiction_label(country, region=""):
    """A readable place, e.g. "New York, United States"; unknown codes are shown as they are."""
    country = (country or "").upper()
    region = (region or "").upper()
    country_name = str(COUNTRY_NAMES.get(country, country))
    if not region:
        return country_name
    region_name = REGION_NAMES.get(country, {}).get(region, region)
    return f"{region_name}, {country_name}"


# --- validation shared by forms, the API and the service functions ------------------------

def clean_country(value):
    value = (value or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise ValidationError(_("Choose a country (a two-letter code such as US or ES)."))
    return value


def clean_region(country, value):
    value = (value or "").strip().upper()
    if len(value) > 10:
        raise ValidationError(_("A state or province code is at most 10 characters."))
    known = REGION_NAMES.get(country)
    if value and known is not None and value not in known:
        raise ValidationError(
            _("%(region)s is not a state or province of %(country)s. "
              "Use its code, such as %(example)s.")
            % {"region": value, "country": jurisdiction_label(country),
               "example": next(iter(known))})
    return value


def clean_time_zone(value):
    if value not in _TIME_ZONES:
        raise ValidationError(_("Choose a time zone from the list, such as America/New_York."))
    return value


def clean_language(value):
    if value not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose a language from the list."))
    return value


def clean_phone(value):
    value = (value or "").strip()
    if value and not _PHONE.match(value):
        raise ValidationError(_("Enter a phone number with digits, for example +1 212 555 0100."))
    return value


def clean_channels(channels, phone):
    channels = list(dict.fromkeys(channels or ()))
    unknown = [c for c in channels if c not in _CHANNELS]
    if unknown:
        raise ValidationError(
            _("Unknown contact channel: %(names)s.") % {"names": ", ".join(unknown)})
    if "sms" in channels and not phone:
        raise ValidationError(_("Add a phone number to receive text messages."))
    return channels


def _collect(errors, field, clean, *args):
    """Run one cleaner; keep its message under `field` so every problem is reported at once."""
    try:
        return clean(*args)
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.messages)
        return None


# --- invitations ---------------------------------------------------------------------------

def _may_invite(actor, clinician):
    same_practice = actor.is_active and actor.practice_id == clinician.practice_id
    return same_practice and (actor.is_admin or clinician.user_id == actor.pk)


def _clean_invitation(full_name, email, time_zone, country, region, language, phone, channels):
    errors = {}
    full_name = (full_name or "").strip()
    if not full_name:
        errors["full_name"] = [_("Enter the client's name.")]
    elif len(full_name) > 200:
        errors["full_name"] = [_("A name is at most 200 characters.")]
    email = (email or "").strip().lower()
    _collect(errors, "email", validate_email, email)
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("Someone with this email address already has an account.")]
    _collect(errors, "time_zone", clean_time_zone, time_zone)
    country = _collect(errors, "country", clean_country, country)
    region = _collect(errors, "region", clean_region, country, region) if country else ""
    _collect(errors, "language", clean_language, language)
    phone = _collect(errors, "phone", clean_phone, phone)
    channels = _collect(errors, "preferred_channels", clean_channels, channels, phone)
    if errors:
        raise ValidationError(errors)
    return {"full_name": full_name, "email": email, "country": country, "region": region,
            "phone": phone, "preferred_channels": channels}


def invite_client(actor, clinician, *, full_name, email, time_zone, country, region, language,
                  phone="", preferred_channels=(), request=None):
    """Create a client's login and record, and email them a one-time link to set a password.

    Raises ValidationError (a dict of field -> messages) for bad input and PermissionDenied when
    `actor` may not invite for `clinician`; in both cases nothing is written. Returns the client
    and the raw token (shown nowhere else; only its hash is stored). `client.invitation_sent`
    tells whether the email went out.
    """
    if not _may_invite(actor, clinician):
        raise PermissionDenied("Only the clinician or a practice admin may invite this client.")
    data = _clean_invitation(full_name, email, time_zone, country, region, language, phone,
                             preferred_channels)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                data["email"], None, full_name=data["full_name"], practice=clinician.practice,
                role=User.Role.CLIENT, preferred_language=language)
            client = Client.objects.create(
                user=user, practice=clinician.practice, clinician=clinician,
                display_name=data["full_name"], time_zone=time_zone, country=data["country"],
                region=data["region"], phone=data["phone"],
                preferred_channels=data["preferred_channels"])
            invitation, token = Invitation.issue(user, created_by=actor)
            record(actor, "create", "Client", client.pk, request=request, client=client,
                   detail={"fields": ["full_name", "email", "time_zone", "country", "region",
                                      "language", "phone", "preferred_channels"],
                           "invitation": invitation.pk})
    except IntegrityError as error:
        # Two invitations for one address raced past the check above.
        raise ValidationError(
            {"email": [_("Someone with this email address already has an account.")]}) from error
    client.invitation_sent = send_invitation(user, token)
    return client, token


def reissue_invitation(actor, client, request=None):
    """A fresh link for a client whose link expired; earlier unused links stop working."""
    if not _may_invite(actor, client.clinician):
        raise PermissionDenied("Only the clinician or a practice admin may invite this client.")
    with transaction.atomic():
        Invitation.objects.filter(user=client.user, used_at__isnull=True).update(
            expires_at=timezone.now())
        invitation, token = Invitation.issue(client.user, created_by=actor)
        record(actor, "invitation_reissued", "Client", client.pk, request=request, client=client,
               detail={"invitation": invitation.pk})
    send_invitation(client.user, token)
    return token


def invitation_link(token):
    return settings.SITE_URL.rstrip("/") + reverse("invite_accept", args=[token])


def send_invitation(user, token):
    """Email the link. The message names the practice, never a clinician or anything clinical."""
    context = {"name": user.full_name, "practice": user.practice.name if user.practice else "",
               "link": invitation_link(token), "hours": settings.INVITATION_VALID_HOURS}
    with translation.override(user.preferred_language):
        subject = _("Your invitation to Interlude")
        body = render_to_string("accounts/email/invitation.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except (SMTPException, OSError):
        logger.warning("invitation email for user %s could not be sent", user.pk)
        return False
    return True


def find_invitation(token):
    invitation = Invitation.objects.find_valid(token)
    if invitation is None or not invitation.user.is_active:
        return None
    return invitation


def accept_invitation(token, password, request=None):
    """Set the invited person's password and spend the link.

    Returns the user, or None if the link is no longer valid; a weak password raises
    ValidationError and leaves the link unspent.
    """
    with transaction.atomic():
        invitation = find_invitation(token)
        if invitation is None:
            return None
        # Lock the row and look again: two tabs submitting at once must not both succeed.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            return None
        now = timezone.now()
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
        Invitation.objects.filter(user_id=invitation.user_id, used_at__isnull=True).update(
            expires_at=now)
        user = invitation.user
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        record(user, "invitation_accepted", "Invitation", invitation.pk, request=request)
    return user


# --- failed logins -------------------------------------------------------------------------

def _lock_after():
    return getattr(settings, "LOGIN_LOCK_AFTER", 10)


def _lock_minutes():
    return getattr(settings, "LOGIN_LOCK_MINUTES", 5)


def locked_until(user, now=None):
    """When the account's lock ends, or None if it is not locked.

    `LOGIN_LOCK_AFTER` (10) failed passwords or codes within 15 minutes, with no successful login
    since, lock the account for `LOGIN_LOCK_MINUTES` (5) from the last failure.
    """
    now = now or timezone.now()
    since = now - timedelta(minutes=max(FAILURE_WINDOW_MINUTES, _lock_minutes()))
    events = AuditEvent.objects.filter(object_type="User", object_id=str(user.pk), at__gte=since)
    last_success = (events.filter(action="login").order_by("-at")
                    .values_list("at", flat=True).first())
    failures = events.filter(action="login_failed", detail__reason__in=COUNTED_FAILURES)
    if last_success is not None:
        failures = failures.filter(at__gt=last_success)
    latest = list(failures.order_by("-at").values_list("at", flat=True)[:_lock_after()])
    if len(latest) < _lock_after():
        return None
    until = latest[0] + timedelta(minutes=_lock_minutes())
    return until if until > now else None


def record_login_failure(user, step, reason, request=None):
    """Audit a failed attempt; the detail names the step and reason, never what was typed."""
    record(None, "login_failed", "User", user.pk if user else "", request=request,
           practice=user.practice_id if user else None, label="login attempt",
           detail={"step": step, "reason": reason})


def record_login(user, method, request=None):
    record(user, "login", "User", user.pk, request=request, detail={"second_factor": method})


def record_logout(user, reason, request=None):
    record(user, "logout", "User", user.pk, request=request, detail={"reason": reason})


# --- the second factor ---------------------------------------------------------------------

def confirmed_totp(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_staff_account(user):
    """Practice staff, and anyone who may use the Django admin site: a second factor always,
    and the shorter idle timeout."""
    return user.is_practice_staff or user.is_staff or user.is_superuser


def needs_second_factor(user):
    """Staff always; clients once they have turned it on."""
    return is_staff_account(user) or has_two_factor(user)


def pending_totp_device(user):
    """The unconfirmed device being set up; kept across page loads so the QR code stays put."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret(device):
    """The key as people type it into an authenticator app: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device, label):
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage,
                        box_size=12, border=2)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def _replace_recovery_codes(user):
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def confirm_totp(user, device, code, request=None):
    """Confirm a new authenticator with a code from it; returns the recovery codes, or None."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed or not device.verify_token(_normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _replace_recovery_codes(user)
        record(user, "two_factor_enabled", "User", user.pk, request=request)
    return codes


def regenerate_recovery_codes(user, request=None):
    """New codes replace the old ones, which stop working."""
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        record(user, "recovery_codes_regenerated", "User", user.pk, request=request)
    return codes


def _normalise(code):
    return "".join((code or "").split()).replace("-", "").lower()


def verify_second_factor(user, code):
    """Check a one-time code or a recovery code (which is then spent).

    Returns (device, "") on success, else (None, "bad_code" or "throttled"). Six digits are an
    authenticator code; anything else is tried as a recovery code, so a mistyped recovery code
    does not slow down the authenticator.
    """
    code = _normalise(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    devices = model.objects.filter(user=user, confirmed=True)
    for device in devices:
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            return None, "throttled"
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified, ""
    return None, "bad_code"


def disable_two_factor(user, code, request=None):
    """Clients may turn the second factor off with a current code; staff never can."""
    if is_staff_account(user):
        raise PermissionDenied("Staff accounts always use a second factor.")
    device, reason = verify_second_factor(user, code)
    if device is None:
        return reason
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record(user, "two_factor_disabled", "User", user.pk, request=request)
    return ""


# --- client profile ------------------------------------------------------------------------

CLIENT_PROFILE_FIELDS = ("time_zone", "country", "region", "phone", "preferred_channels",
                         "quiet_start", "quiet_end")
# Changing these moves the times of automated messages already planned.
REPLAN_FIELDS = {"time_zone", "preferred_channels", "quiet_start", "quiet_end", "phone"}


def update_client_profile(client, data, request=None):
    """Save what the client changed; returns the names of the changed fields."""
    with transaction.atomic():
        changed = [name for name in CLIENT_PROFILE_FIELDS if getattr(client, name) != data[name]]
        for name in changed:
            setattr(client, name, data[name])
        if changed:
            client.save(update_fields=changed)
        user = client.user
        if user.preferred_language != data["preferred_language"]:
            user.preferred_language = data["preferred_language"]
            user.save(update_fields=["preferred_language"])
            changed.append("preferred_language")
        if changed:
            record(user, "update", "ClientProfile", client.pk, request=request, client=client,
                   detail={"fields": changed})
        if REPLAN_FIELDS & set(changed):
            from interlude.outreach.reminders import replan_client_after_commit

            replan_client_after_commit(client)
    return changed


# --- licences ------------------------------------------------------------------------------

def _require_license_keeper(actor, clinician):
    """A clinician records their own licences; a practice admin may for anyone in the practice."""
    if not actor.is_active or actor.practice_id != clinician.practice_id:
        raise PermissionDenied("Only this clinician or an admin of their practice may do this.")
    if not (actor.is_admin or clinician.user_id == actor.pk):
        raise PermissionDenied("Only this clinician or an admin of their practice may do this.")


def add_license(actor, clinician, *, country, region="", number="", request=None):
    _require_license_keeper(actor, clinician)
    errors = {}
    country = _collect(errors, "country", clean_country, country)
    region = _collect(errors, "region", clean_region, country, region) if country else ""
    number = (number or "").strip()
    if len(number) > 60:
        errors["number"] = [_("A licence number is at most 60 characters.")]
    if not errors and clinician.licenses.filter(country=country, region=region).exists():
        errors["region"] = [_("This clinician already holds a licence for %(place)s.")
                            % {"place": jurisdiction_label(country, region)}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        license_ = License.objects.create(clinician=clinician, country=country, region=region,
                                          number=number)
        record(actor, "create", "License", license_.pk, request=request,
               detail={"clinician": clinician.pk, "country": country, "region": region})
    return license_


def remove_license(actor, license_, request=None):
    _require_license_keeper(actor, license_.clinician)
    with transaction.atomic():
        record(actor, "delete", "License", license_.pk, request=request,
               detail={"clinician": license_.clinician_id, "country": license_.country,
                       "region": license_.region})
        license_.delete()


def _require_rota_keeper(actor, clinician):
    if not (actor.is_active and actor.is_admin and actor.practice_id == clinician.practice_id):
        raise PermissionDenied("Only an admin of this practice may change the on-call rota.")


def set_on_call(actor, clinician, eligible, request=None):
    """Put a clinician on, or take them off, the practice's on-call rota (admins only)."""
    _require_rota_keeper(actor, clinician)
    with transaction.atomic():
        clinician.on_call_eligible = bool(eligible)
        clinician.save(update_fields=["on_call_eligible"])
        record(actor, "update", "Clinician", clinician.pk, request=request,
               detail={"on_call_eligible": clinician.on_call_eligible})
    return clinician


def clean_alert_phone(value):
    """A phone as clients' phones are checked, kept in E.164 form (+ and digits only), as
    the SMS provider wants it; a number without its country code could not be texted."""
    value = re.sub(r"[ ().-]", "", clean_phone(value))
    if value and not value.startswith("+"):
        raise ValidationError(_("Start with + and the country code, for example "
                                "+1 212 555 0100."))
    return value


def set_alert_phone(actor, clinician, phone, request=None):
    """The number urgent alerts are texted to (admins only); blank removes it.

    The audit says only whether a number is set: the number itself stays out of the trail.
    """
    _require_rota_keeper(actor, clinician)
    try:
        phone = clean_alert_phone(phone)
    except ValidationError as error:
        raise ValidationError({"alert_phone": error.messages}) from None
    with transaction.atomic():
        clinician.alert_phone = phone
        clinician.save(update_fields=["alert_phone"])
        record(actor, "set_alert_phone", "Clinician", clinician.pk, request=request,
               detail={"set": bool(phone)})
    return clinician
