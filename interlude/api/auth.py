"""Who is calling: a bearer token, or the browser's session (with CSRF and the second factor).

Both answer the same User, so every route applies the same access rules whichever way the
caller signed in. Role checks live here too, so each route states its audience in one line.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from interlude.accounts.middleware import SESSION_OTP_REQUIRED
from interlude.accounts.models import ApiToken, _hash_token
from interlude.accounts.services import is_staff_account

TOUCH_EVERY = timedelta(minutes=1)


def touch_token(raw_token):
    """Record when a token was last used, writing at most once a minute per token."""
    now = timezone.now()
    (ApiToken.objects.filter(token_hash=_hash_token(raw_token))
     .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY))
     .update(last_used_at=now))


class BearerToken(HttpBearer):
    """`Authorization: Bearer itl_...`: a token issued by POST /tokens."""

    def authenticate(self, request, token):
        if not token:
            return None
        user = ApiToken.find_user(token)
        if user is None or not user.is_active:
            return None
        touch_token(token)
        # The session middleware does this for pages; a token caller reads messages in their
        # own language too.
        translation.activate(user.preferred_language)
        return user


def session_needs_second_factor(request, user):
    return is_staff_account(user) or request.session.get(SESSION_OTP_REQUIRED, False)


class VerifiedSession(APIKeyCookie):
    """The Django session, as the pages use it; unsafe methods need the CSRF token.

    Staff (and clients who turned two-factor on) must have passed the second factor in this
    session: the page middleware leaves /api/ open, so the check is made here.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        # No signed-in session: let the 401 say so rather than a CSRF failure.
        if not request.user.is_authenticated:
            return None
        csrf_due = self.csrf and not getattr(request, "_ninja_csrf_exempt", False)
        if csrf_due and check_csrf(request):
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        if session_needs_second_factor(request, user) and not user.is_verified():
            raise HttpError(401, _("This session has not passed the second factor yet."))
        return user


bearer_token = BearerToken()
verified_session = VerifiedSession()
ANY_AUTH = [bearer_token, verified_session]
SESSION_ONLY = [verified_session]


# --- who may call a route ------------------------------------------------------------------

def require_staff(user):
    if not user.is_practice_staff or user.practice_id is None:
        raise AuthorizationError(message=_("This route is for practice staff."))


def require_client(user):
    if not user.is_client:
        raise AuthorizationError(message=_("This route is for clients."))


def require_clinician(user):
    if not user.is_clinician:
        raise AuthorizationError(message=_("This route is for clinicians."))


def require_admin(user):
    if not user.is_admin or user.practice_id is None:
        raise AuthorizationError(message=_("This route is for practice admins."))
