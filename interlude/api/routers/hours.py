"""A clinician's own office hours and time off."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from interlude.accounts.access import own_clinician
from interlude.agreements.models import TimeOff
from interlude.agreements.services import add_time_off, remove_time_off, set_office_hours

from ..auth import require_clinician
from ..present import hours_out
from ..schemas import OfficeHoursIn, OfficeHoursOut, TimeOffIn, TimeOffOut, parse_hhmm
from .common import READ_ERRORS, WRITE_ERRORS, created, no_content

router = Router(tags=["office hours and time off"])


def _clinician(request):
    require_clinician(request.auth)
    return own_clinician(request.auth)


def _hours(clinician):
    return {"time_zone": clinician.time_zone, "windows": hours_out(clinician.office_hours.all())}


@router.get("/me/office-hours", response={200: OfficeHoursOut, **READ_ERRORS},
            summary="My weekly office hours, in my own time zone")
def office_hours(request):
    return _hours(_clinician(request))


@router.put("/me/office-hours", response={200: OfficeHoursOut, **WRITE_ERRORS},
            summary="Replace my weekly office hours")
def replace_office_hours(request, payload: OfficeHoursIn):
    clinician = _clinician(request)
    windows = [(w.weekday, parse_hhmm(w.start), parse_hhmm(w.end)) for w in payload.windows]
    try:
        with transaction.atomic():
            set_office_hours(request.auth, clinician, windows, request=request)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"windows": exc.messages}) from exc
    return _hours(clinician)


@router.get("/me/time-off", response={200: list[TimeOffOut], **READ_ERRORS},
            summary="My time off that has not ended yet (all of it with include_past=true)")
def time_off(request, include_past: bool = False):
    rows = TimeOff.objects.filter(clinician=_clinician(request)).order_by("starts_at")
    if not include_past:
        rows = rows.filter(ends_at__gt=timezone.now())
    return list(rows)


@router.post("/me/time-off", response={201: TimeOffOut, **WRITE_ERRORS},
             summary="Add time off: messages wait until I am back")
def add(request, payload: TimeOffIn):
    clinician = _clinician(request)
    with transaction.atomic():
        row = add_time_off(request.auth, clinician, payload.starts_at, payload.ends_at,
                           kind=payload.kind.value, label=payload.label, request=request)
    return created(row)


@router.delete("/me/time-off/{int:time_off_id}", response={204: None, **WRITE_ERRORS},
               summary="Remove some of my time off")
def remove(request, time_off_id: int):
    clinician = _clinician(request)
    with transaction.atomic():
        row = TimeOff.objects.filter(pk=time_off_id, clinician=clinician).first()
        if row is None:
            raise Http404(_("No such time off."))
        remove_time_off(request.auth, row, request=request)
    return no_content()
