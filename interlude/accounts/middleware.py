import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from .services import is_staff_account, record_logout

SESSION_LAST_SEEN = "interlude_last_seen"
SESSION_OTP_REQUIRED = "interlude_otp_required"
# Writing the session on every request costs a database write per page; a few seconds of
# slack in the idle clock does not matter.
LAST_SEEN_RESOLUTION_SECONDS = 15


class IdleLogoutMiddleware:
    """Ends a session after a period without requests (automatic logoff)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            minutes = (settings.STAFF_IDLE_MINUTES if is_staff_account(user)
                       else settings.CLIENT_IDLE_MINUTES)
            now = time.time()
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            if now - last_seen > minutes * 60:
                return self._log_out(request, user)
            if now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS or (
                    SESSION_LAST_SEEN not in request.session):
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)

    def _log_out(self, request, user):
        record_logout(user, "idle", request)
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)
        query = {"idle": "1"}
        if request.method == "GET":
            query["next"] = request.get_full_path()
        return redirect(f"{reverse('login')}?{urlencode(query)}")


class UserLanguageMiddleware:
    """A signed-in person sees pages in the language of their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        response = self.get_response(request)
        return response


class RequireVerifiedStaffMiddleware:
    """Staff sessions that have not passed the second factor may only reach the login steps."""

    OPEN_PREFIXES = ("/login", "/logout", "/account/two-factor", "/static/", "/ping/",
                     "/i18n/", "/invite/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        # Clients who turned two-factor on are flagged in the session at the password step,
        # which saves a query on every request.
        needs_second_factor = user.is_authenticated and (
            is_staff_account(user) or request.session.get(SESSION_OTP_REQUIRED, False))
        if (needs_second_factor and not request.user.is_verified()
                and not request.path.startswith(self.OPEN_PREFIXES)):
            return redirect("login_verify")
        return self.get_response(request)
