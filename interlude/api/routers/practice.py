"""What new agreements in the practice start from (practice admins)."""

from django.db import transaction
from ninja import Router

from interlude.agreements.services import practice_defaults, update_practice_defaults

from ..auth import require_admin
from ..schemas import PracticeDefaultsIn, PracticeDefaultsOut
from .common import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["practice"])
FIELDS = ("inbox_promise", "inbox_response_business_days", "checkin_weekly_cap",
          "checkin_minutes", "crisis_route")


def _out(defaults):
    # A fresh row still holds the lazy translated default: give the caller a plain string.
    return {field: (str(value) if field == "inbox_promise" else value)
            for field in FIELDS for value in [getattr(defaults, field)]}


@router.get("/practice/defaults", response={200: PracticeDefaultsOut, **READ_ERRORS},
            summary="The practice's defaults for new agreements")
def defaults(request):
    require_admin(request.auth)
    with transaction.atomic():
        return _out(practice_defaults(request.auth.practice))


@router.put("/practice/defaults", response={200: PracticeDefaultsOut, **WRITE_ERRORS},
            summary="Change the practice's defaults for new agreements")
def replace_defaults(request, payload: PracticeDefaultsIn):
    require_admin(request.auth)
    with transaction.atomic():
        row = update_practice_defaults(request.auth, request.auth.practice,
                                       payload.model_dump(mode="json"), request=request)
    return _out(row)
