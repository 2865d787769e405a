"""The practice's on-call rota: who answers crisis alerts at a given instant."""

from .models import OnCallShift


def on_duty(practice, at):
    """Users on call at `at`, in rota order (position, then the earliest shift), once each.

    Only active clinicians whom an admin made on-call eligible count: a shift left on the rota
    for someone who lost the role must not swallow an alert.
    """
    shifts = (OnCallShift.objects.filter(practice=practice, starts_at__lte=at, ends_at__gt=at,
                                         clinician__on_call_eligible=True,
                                         clinician__user__is_active=True)
              .select_related("clinician__user").order_by("position", "starts_at", "pk"))
    users, seen = [], set()
    for shift in shifts:
        if shift.clinician.user_id not in seen:
            seen.add(shift.clinician.user_id)
            users.append(shift.clinician.user)
    return users
