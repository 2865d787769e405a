"""May this contact happen now, and if not, when will it be read?"""

from django.utils import timezone
from ninja import Query, Router

from interlude.accounts.access import get_client, own_client
from interlude.agreements import availability

from ..auth import require_client, require_staff
from ..schemas import AvailabilityOut, AvailabilityQuery
from .common import READ_ERRORS

router = Router(tags=["availability"])


def answer(client, params):
    at = params.at or timezone.now()
    result = availability.check(client, params.channel.value, at)
    return {"channel": params.channel, "at": at, "allowed": result.allowed,
            "next_seen_at": result.next_seen_at, "reason": result.reason,
            "detail": result.detail}


@router.get("/clients/{int:client_id}/availability",
            response={200: AvailabilityOut, **READ_ERRORS},
            summary="May this client use a channel at a given time")
def client_availability(request, client_id: int, params: Query[AvailabilityQuery]):
    require_staff(request.auth)
    return answer(get_client(request.auth, client_id), params)


@router.get("/me/availability", response={200: AvailabilityOut, **READ_ERRORS},
            summary="May I use a channel now, and if not, when will it be seen (clients)")
def my_availability(request, params: Query[AvailabilityQuery]):
    require_client(request.auth)
    return answer(own_client(request.auth), params)
