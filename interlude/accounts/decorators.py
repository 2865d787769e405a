"""Who may open a page. Anyone else is told the page does not exist (404), never that it is
refused, so a page's existence discloses nothing."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def _only(allowed, message):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise Http404(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = _only(
    lambda user: (user.is_clinician or user.is_admin) and user.practice_id is not None,
    "Staff pages only")
clinician_required = _only(lambda user: user.is_clinician, "Clinicians only")
admin_required = _only(lambda user: user.is_admin and user.practice_id is not None,
                       "Practice admins only")
