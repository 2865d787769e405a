"""The practice's on-call rota: who answers crisis alerts at a given instant, and the rules for
changing it (practice admins only; every change audited).

Only active clinicians whom an admin made on-call eligible count: a shift left on the rota
for someone who lost the role must not swallow an alert. Such shifts stay listed, marked as
skipped, so the admin sees the hole they leave.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from interlude.accounts.models import Clinician
from interlude.audit.service import record

from .models import OnCallShift

MAX_POSITION = 9
MAX_SHIFT = timedelta(days=31)
GAP_DAYS = 7


def _answering(practice):
    return dict(practice=practice, clinician__on_call_eligible=True,
                clinician__user__is_active=True)


def covering(practice, at):
    """The shifts that count at `at`, in rota order (position, then the earliest shift)."""
    return (OnCallShift.objects.filter(starts_at__lte=at, ends_at__gt=at, **_answering(practice))
            .select_related("clinician__user").order_by("position", "starts_at", "pk"))


def on_duty(practice, at):
    """Users on call at `at`, in rota order, once each."""
    users, seen = [], set()
    for shift in covering(practice, at):
        if shift.clinician.user_id not in seen:
            seen.add(shift.clinician.user_id)
            users.append(shift.clinician.user)
    return users


def answers(shift):
    """Whether a shift answers alerts (its clinician is eligible and active)."""
    return shift.clinician.on_call_eligible and shift.clinician.user.is_active


def shifts_between(practice, start, end):
    """Every shift overlapping [start, end), eligible or not, in time order."""
    return (OnCallShift.objects.filter(practice=practice, starts_at__lt=end, ends_at__gt=start)
            .select_related("clinician__user").order_by("starts_at", "position", "pk"))


def gaps(practice, start, end):
    """The stretches of [start, end) that no answering shift covers, as (start, end) pairs."""
    spans = (OnCallShift.objects
             .filter(starts_at__lt=end, ends_at__gt=start, **_answering(practice))
             .order_by("starts_at").values_list("starts_at", "ends_at"))
    found, cursor = [], start
    for span_start, span_end in spans:
        if span_start > cursor:
            found.append((cursor, span_start))
        cursor = max(cursor, span_end)
        if cursor >= end:
            break
    if cursor < end:
        found.append((cursor, end))
    return found


def routes_to_on_call(practice):
    """Whether any client's current agreement sends crisis contact to the rota."""
    from interlude.agreements.models import ConnectionAgreement

    newest = (ConnectionAgreement.objects.filter(client=OuterRef("client"))
              .values("client").annotate(v=Max("version")).values("v"))
    return ConnectionAgreement.objects.filter(
        client__practice=practice, client__is_active=True, crisis_route="on_call",
        version=Subquery(newest)).exists()


def eligible_clinicians(practice):
    """The clinicians who may take a shift: the practice's active, on-call eligible ones."""
    return (Clinician.objects.filter(practice=practice, on_call_eligible=True,
                                     user__is_active=True)
            .select_related("user").order_by("display_name", "pk"))


def may_manage(user, practice):
    return (user.is_authenticated and user.is_active and user.is_admin
            and user.practice_id == getattr(practice, "pk", practice))


def _shift_errors(practice, clinician, starts_at, ends_at, position, now):
    errors = {}
    if clinician is None or not eligible_clinicians(practice).filter(pk=clinician.pk).exists():
        errors["clinician"] = _("Choose an active, on-call eligible clinician of this practice.")
    if not 1 <= (position or 0) <= MAX_POSITION:
        errors["position"] = _("The position is a number from 1 (called first) to %(max)s.") % {
            "max": MAX_POSITION}
    if starts_at and ends_at:
        if ends_at <= starts_at:
            errors["ends_at"] = _("A shift must end after it starts.")
        elif ends_at - starts_at > MAX_SHIFT:
            errors["ends_at"] = _("A shift lasts at most %(days)s days; add several shifts for "
                                  "a longer stretch.") % {"days": MAX_SHIFT.days}
        elif ends_at <= now:
            errors["ends_at"] = _("This shift would be over already; choose a time to come.")
    return errors


def _overlap(clinician, starts_at, ends_at):
    return (OnCallShift.objects.filter(clinician=clinician, starts_at__lt=ends_at,
                                       ends_at__gt=starts_at).order_by("starts_at").first())


def add_shift(actor, practice, clinician, starts_at, ends_at, position=1, *, now,
              describe=str, request=None):
    """Put `clinician` on the rota from `starts_at` to `ends_at` at `position`.

    Raises ValidationError by field. `describe` turns an instant into words for the error that
    names an overlapping shift of the same clinician.
    """
    if not may_manage(actor, practice):
        raise Http404("No such rota")
    errors = _shift_errors(practice, clinician, starts_at, ends_at, position, now)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        clash = _overlap(clinician, starts_at, ends_at)
        if clash is not None:
            raise ValidationError({"starts_at": _(
                "%(name)s is already on call from %(start)s to %(end)s, which overlaps this "
                "shift.") % {"name": clinician.display_name, "start": describe(clash.starts_at),
                             "end": describe(clash.ends_at)}})
        shift = OnCallShift.objects.create(practice=practice, clinician=clinician,
                                           starts_at=starts_at, ends_at=ends_at,
                                           position=position, created_by=actor)
        record(actor, "create", "OnCallShift", shift.pk, request=request, practice=practice,
               detail={"clinician": clinician.pk, "position": position,
                       "starts_at": starts_at, "ends_at": ends_at})
    return shift


def get_shift(user, pk):
    shift = (OnCallShift.objects.filter(pk=pk, practice_id=user.practice_id)
             .select_related("clinician", "practice").first())
    if shift is None or not may_manage(user, shift.practice):
        raise Http404("No such shift")
    return shift


def remove_shift(actor, shift, *, request=None):
    if not may_manage(actor, shift.practice_id):
        raise Http404("No such shift")
    with transaction.atomic():
        pk = shift.pk
        detail = {"clinician": shift.clinician_id, "position": shift.position,
                  "starts_at": shift.starts_at, "ends_at": shift.ends_at}
        shift.delete()
        record(actor, "delete", "OnCallShift", pk, request=request, practice=shift.practice_id,
               detail=detail)
