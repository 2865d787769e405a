import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

SESSION_LAST_SEEN = "interlude_last_seen"
SESSION_OTP_REQUIRED = "interlude_otp_required"


class IdleLogoutMiddleware:
    """Ends a session after a period without requests (automatic logoff)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            minutes = (settings.STAFF_IDLE_MINUTES if user.is_practice_staff
                       else settings.CLIENT_IDLE_MINUTES)
            now = time.time()
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            if now - last_seen > minutes * 60:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('login')}?idle=1&next={request.path}")
            request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


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
            user.is_practice_staff or request.session.get(SESSION_OTP_REQUIRED, False))
        if needs_second_factor and not request.user.is_verified():
            if not request.path.startswith(self.OPEN_PREFIXES):
                return redirect("login_verify")
        return self.get_response(request)
