import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from interlude.crisis.resources import resources_for
from interlude.crisis.safety_plans import plan_for_crisis_page

from . import services
from .access import get_clinician, own_client, visible_clinicians
from .forms import (
    AlertPhoneForm,
    ClientProfileForm,
    CodeForm,
    ConfirmDeviceForm,
    DisableTwoFactorForm,
    LicenseForm,
    LoginForm,
)
from .middleware import SESSION_OTP_REQUIRED
from .models import License, User

SESSION_NEXT = "interlude_login_next"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- logging in ----------------------------------------------------------------------------

def _safe_next(request, value):
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return ""


def _pop_next(request):
    return request.session.pop(SESSION_NEXT, "") or resolve_url(settings.LOGIN_REDIRECT_URL)


def _locked_message(until):
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return ngettext(
        "Too many failed attempts: this account is locked. Try again in %(minutes)d minute.",
        "Too many failed attempts: this account is locked. Try again in %(minutes)d minutes.",
        minutes) % {"minutes": minutes}


def _check_password(request, email, password):
    """The user if the password is right and the account is not locked, else (None, message)."""
    account = User.objects.filter(email=email).first()
    if account is not None:
        until = services.locked_until(account)
        if until is not None:
            services.record_login_failure(account, "password", "locked", request)
            return None, _locked_message(until)
    user = authenticate(request, email=email, password=password)
    if user is not None:
        return user, ""
    services.record_login_failure(account, "password",
                                  "bad_password" if account else "unknown_email", request)
    until = services.locked_until(account) if account else None
    return None, _locked_message(until) if until else _("Email or password is incorrect.")


def _after_password(request, user, next_url=""):
    """Where a person goes once their password is right: the second factor, its setup, or in."""
    request.session[SESSION_NEXT] = next_url
    if services.has_two_factor(user):
        request.session[SESSION_OTP_REQUIRED] = True
        return redirect("login_verify")
    if services.is_staff_account(user):
        return redirect("two_factor_setup")
    services.record_login(user, "none", request)
    return redirect(_pop_next(request))


@sensitive_post_parameters("password")
@never_cache
def login_view(request):
    user = request.user
    if user.is_authenticated:
        return redirect("login_verify" if not user.is_verified() and services.needs_second_factor(
            user) else "home")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, error = _check_password(request, form.cleaned_data["email"],
                                      form.cleaned_data["password"])
        if user is not None:
            auth_login(request, user)
            return _after_password(request, user, next_url)
        form.add_error(None, error)
    return render(request, "accounts/login.html", {
        "form": form, "next": next_url, "idle": request.GET.get("idle") == "1"})


def _end_locked_login(request, until):
    auth_logout(request)
    messages.error(request, _locked_message(until))
    return redirect("login")


def _check_code(request, user, code):
    """Verify a code for the half-logged-in user; returns an error message or "" when verified."""
    device, reason = services.verify_second_factor(user, code)
    if device is not None:
        otp_login(request, device)
        method = "recovery_code" if isinstance(device, StaticDevice) else "totp"
        services.record_login(user, method, request)
        return ""
    services.record_login_failure(user, "code", reason, request)
    if reason == "throttled":
        return _("Too many wrong codes in a row. Wait a few seconds, then try the newest code.")
    return _("That code did not work. Check it and try again.")


@never_cache
@login_required
def login_verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_pop_next(request))
    if not services.has_two_factor(user):
        if services.is_staff_account(user):
            return redirect("two_factor_setup")
        # Turned off in another session: this one must not keep asking for a code.
        request.session.pop(SESSION_OTP_REQUIRED, None)
        return redirect("home")
    until = services.locked_until(user)
    if until is not None:
        return _end_locked_login(request, until)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _check_code(request, user, form.cleaned_data["code"])
        if not error:
            return redirect(_pop_next(request))
        until = services.locked_until(user)
        if until is not None:
            return _end_locked_login(request, until)
        form.add_error("code", error)
    return render(request, "accounts/login_verify.html", {"form": form})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.record_logout(request.user, "user", request)
    auth_logout(request)
    return redirect("login")


# --- two-factor setup ----------------------------------------------------------------------

def _status_page(request, disable_form=None, status=200):
    user = request.user
    return render(request, "accounts/two_factor_status.html", {
        "codes_left": services.recovery_codes_left(user),
        "may_turn_off": not services.is_staff_account(user),
        "disable_form": disable_form or DisableTwoFactorForm(),
    }, status=status)


def _setup_page(request, form):
    device = services.pending_totp_device(request.user)
    return render(request, "accounts/two_factor_setup.html", {
        "form": form,
        "secret": services.totp_secret(device),
        "qr_svg": services.totp_qr_svg(
            device, _("QR code to add Interlude to your authenticator app")),
        "required": services.is_staff_account(request.user),
    })


@never_cache
@login_required
def two_factor_setup(request):
    user = request.user
    if services.has_two_factor(user):
        # A password alone must never be enough to change the second factor.
        if not user.is_verified():
            return redirect("login_verify")
        return _status_page(request)
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.pending_totp_device(user)
        codes = services.confirm_totp(user, device, form.cleaned_data["code"], request)
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            request.session[SESSION_OTP_REQUIRED] = True
            next_url = reverse("two_factor_setup")
            if services.is_staff_account(user):
                # Staff come here in the middle of logging in; this completes it.
                services.record_login(user, "totp_setup", request)
                next_url = _pop_next(request)
            return render(request, "accounts/recovery_codes.html",
                          {"codes": codes, "next": next_url, "first_time": True})
        form.add_error("code", _("That code did not match. Check that your phone's clock is "
                                 "right and type the newest code."))
    return _setup_page(request, form)


@never_cache
@require_POST
@login_required
def two_factor_recovery_codes(request):
    user = request.user
    if not services.has_two_factor(user) or not user.is_verified():
        return redirect("two_factor_setup")
    codes = services.regenerate_recovery_codes(user, request)
    return render(request, "accounts/recovery_codes.html",
                  {"codes": codes, "next": reverse("two_factor_setup"), "first_time": False})


@require_POST
@login_required
def two_factor_disable(request):
    user = request.user
    if services.is_staff_account(user):
        raise PermissionDenied("Staff accounts always use a second factor.")
    if not services.has_two_factor(user) or not user.is_verified():
        return redirect("two_factor_setup")
    form = DisableTwoFactorForm(request.POST)
    if form.is_valid():
        reason = services.disable_two_factor(user, form.cleaned_data["code"], request)
        if not reason:
            request.session.pop(SESSION_OTP_REQUIRED, None)
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            messages.success(request, _("Two-step login is off. You will log in with your "
                                        "password only."))
            return redirect("two_factor_setup")
        form.add_error("code", _("That code did not work, so two-step login is still on."))
    return _status_page(request, disable_form=form, status=400)


# --- invitations ---------------------------------------------------------------------------

@sensitive_post_parameters()
@never_cache
def invite_accept(request, token):
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invite_invalid.html", status=410)
    invitee = invitation.user
    # The page speaks the language the clinician chose for the invitee.
    with translation.override(invitee.preferred_language):
        form = SetPasswordForm(invitee, request.POST or None, label_suffix="")
        if request.method == "POST" and form.is_valid():
            try:
                user = services.accept_invitation(token, form.cleaned_data["new_password1"],
                                                  request)
            except ValidationError as error:
                form.add_error("new_password2", error)
            else:
                if user is None:
                    return render(request, "accounts/invite_invalid.html", status=410)
                auth_login(request, user, backend=MODEL_BACKEND)
                return _after_password(request, user)
        return render(request, "accounts/invite_accept.html", {"form": form, "invitee": invitee})


# --- the client's own pages ----------------------------------------------------------------

@login_required
def client_profile(request):
    client = own_client(request.user)
    form = ClientProfileForm.for_client(client, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = services.update_client_profile(client, form.cleaned_data, request)
        language = client.user.preferred_language
        with translation.override(language):
            messages.success(request, _("Your profile is saved.") if changed
                             else _("Nothing changed."))
        response = redirect("client_profile")
        # Keeps the login page in the client's language after they log out.
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE, httponly=True)
        return response
    return render(request, "accounts/client_profile.html", {
        "form": form, "client": client,
        "place": services.jurisdiction_label(client.country, client.region),
        "two_factor_on": services.has_two_factor(request.user),
    }, status=400 if form.is_bound else 200)


@login_required
def client_crisis(request):
    client = own_client(request.user)
    # The safety plan comes first on this page (crisis app's rules; the read is audited).
    plan = plan_for_crisis_page(request.user, client, request=request)
    response = render(request, "accounts/client_crisis.html", {
        "plan": plan, "client": client,
        "resources": resources_for(client.country, client.region),
        "place": services.jurisdiction_label(client.country, client.region),
    })
    response["Cache-Control"] = "private, no-store"
    return response


# --- the practice admin's page -------------------------------------------------------------

def _require_admin(user):
    if not user.is_admin or user.practice_id is None:
        raise Http404("Not a practice admin")


def _practice_page(request, bound=None, status=200):
    """The clinicians of the admin's practice with their licences; `bound` is (clinician pk,
    form) to show a licence or alert phone form that failed validation in its row."""
    clinicians = (visible_clinicians(request.user).select_related("user")
                  .prefetch_related("licenses").order_by("display_name", "pk"))
    page = Paginator(clinicians, 50).get_page(request.GET.get("page"))
    rows = []
    for clinician in page:
        form = LicenseForm(prefix_id=clinician.pk)
        phone_form = AlertPhoneForm(initial={"alert_phone": clinician.alert_phone},
                                    prefix_id=clinician.pk)
        if bound and bound[0] == clinician.pk:
            if isinstance(bound[1], AlertPhoneForm):
                phone_form = bound[1]
            else:
                form = bound[1]
        licenses = [(lic, services.jurisdiction_label(lic.country, lic.region))
                    for lic in clinician.licenses.all()]
        rows.append({"clinician": clinician, "licenses": licenses, "form": form,
                     "phone_form": phone_form})
    return render(request, "accounts/practice_home.html",
                  {"practice": request.user.practice, "rows": rows, "page": page}, status=status)


@login_required
def practice_home(request):
    _require_admin(request.user)
    return _practice_page(request)


@require_POST
@login_required
def practice_license_add(request, pk):
    _require_admin(request.user)
    clinician = get_clinician(request.user, pk)
    form = LicenseForm(request.POST, prefix_id=clinician.pk)
    if form.is_valid():
        try:
            license_ = services.add_license(request.user, clinician, request=request,
                                            **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Added a licence for %(place)s to %(name)s.") % {
                "place": services.jurisdiction_label(license_.country, license_.region),
                "name": clinician.display_name})
            return redirect("practice_home")
    return _practice_page(request, bound=(clinician.pk, form), status=400)


@require_POST
@login_required
def practice_license_remove(request, pk):
    _require_admin(request.user)
    license_ = (License.objects.select_related("clinician")
                .filter(pk=pk, clinician__practice_id=request.user.practice_id).first())
    if license_ is None:
        raise Http404("No such licence")
    services.remove_license(request.user, license_, request=request)
    messages.success(request, _("Removed the licence for %(place)s from %(name)s.") % {
        "place": services.jurisdiction_label(license_.country, license_.region),
        "name": license_.clinician.display_name})
    return redirect("practice_home")


@require_POST
@login_required
def practice_on_call(request, pk):
    """The on-call settings of a clinician: rota eligibility, or the alert phone form's
    number (that form alone sends `alert_phone`)."""
    _require_admin(request.user)
    clinician = get_clinician(request.user, pk)
    if "alert_phone" in request.POST:
        return _set_alert_phone(request, clinician)
    eligible = request.POST.get("on_call") == "1"
    services.set_on_call(request.user, clinician, eligible, request=request)
    if eligible:
        messages.success(request, _("%(name)s can now take on-call shifts.")
                         % {"name": clinician.display_name})
    else:
        messages.success(request, _("%(name)s no longer takes on-call shifts.")
                         % {"name": clinician.display_name})
    return redirect("practice_home")


def _set_alert_phone(request, clinician):
    form = AlertPhoneForm(request.POST, prefix_id=clinician.pk)
    if form.is_valid():
        try:
            services.set_alert_phone(request.user, clinician, form.cleaned_data["alert_phone"],
                                     request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if clinician.alert_phone:
                messages.success(request, _("Urgent alerts for %(name)s will also go by text "
                                            "message when the practice has them turned on.")
                                 % {"name": clinician.display_name})
            else:
                messages.success(request, _("Removed the alert phone of %(name)s.")
                                 % {"name": clinician.display_name})
            return redirect("practice_home")
    return _practice_page(request, bound=(clinician.pk, form), status=400)
