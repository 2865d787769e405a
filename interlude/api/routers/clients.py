"""The clients a member of staff may see: the list, one record, and inviting a new client."""

from math import ceil

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _
from ninja import Query, Router

from interlude.accounts.access import get_client, get_clinician, own_clinician, visible_clients
from interlude.accounts.services import invite_client
from interlude.agreements.models import AgreementSignature, ConnectionAgreement
from interlude.agreements.services import current_agreement
from interlude.audit.service import record

from ..auth import require_staff
from ..present import client_out, clinician_ref, status_of
from ..schemas import ClientOut, ClientPage, InviteIn, InviteOut, PageQuery
from .common import READ_ERRORS, WRITE_ERRORS, created

router = Router(tags=["clients"])


def with_agreement_status(clients):
    """Each client's current agreement version and whether it is signed, in the same query."""
    latest = ConnectionAgreement.objects.filter(client=OuterRef("pk")).order_by("-version")
    signed = AgreementSignature.objects.filter(agreement__client=OuterRef("pk"),
                                               agreement__version=OuterRef("agreement_version"))
    return clients.annotate(agreement_version=Subquery(latest.values("version")[:1]),
                            agreement_signed=Exists(signed))


def list_item(client):
    return {"id": client.pk, "display_name": client.display_name,
            "clinician": clinician_ref(client.clinician), "time_zone": client.time_zone,
            "is_active": client.is_active,
            "agreement": {"version": client.agreement_version,
                          "status": status_of(client.agreement_version,
                                              client.agreement_signed)}}


@router.get("/clients", response={200: ClientPage, **READ_ERRORS},
            summary="The clients you may see, by name, a page at a time")
def list_clients(request, params: Query[PageQuery]):
    user = request.auth
    require_staff(user)
    clients = with_agreement_status(
        visible_clients(user).select_related("clinician").order_by("display_name", "pk"))
    count = clients.count()
    start = (params.page - 1) * params.page_size
    rows = list(clients[start:start + params.page_size])
    # A list of names is a read of clinical data: one event per page, no names in it.
    record(user, "list", "Client", request=request,
           detail={"page": params.page, "ids": [row.pk for row in rows]})
    return {"items": [list_item(row) for row in rows], "count": count, "page": params.page,
            "page_size": params.page_size, "pages": max(1, ceil(count / params.page_size))}


def _clinician_for_invite(user, clinician_id):
    if clinician_id is not None:
        return get_clinician(user, clinician_id)
    if user.is_clinician:
        return own_clinician(user)
    raise ValidationError({"clinician_id": _("Choose the clinician this client will see.")})


@router.post("/clients", response={201: InviteOut, **WRITE_ERRORS},
             summary="Invite a new client")
def invite(request, payload: InviteIn):
    user = request.auth
    require_staff(user)
    clinician = _clinician_for_invite(user, payload.clinician_id)
    # The service writes in one transaction and emails the link only after it.
    client, _token = invite_client(
        user, clinician, full_name=payload.full_name, email=payload.email,
        time_zone=payload.time_zone, country=payload.country, region=payload.region,
        language=payload.language.value, phone=payload.phone,
        preferred_channels=[c.value for c in payload.preferred_channels], request=request)
    sent = getattr(client, "invitation_sent", False)
    return created(client_out(client, None) | {"invitation_sent": sent})


@router.get("/clients/{int:client_id}", response={200: ClientOut, **READ_ERRORS},
            summary="One client's record (the read is audited)")
def client_detail(request, client_id: int):
    user = request.auth
    require_staff(user)
    client = get_client(user, client_id)
    record(user, "view", "Client", client.pk, request=request, client=client)
    return client_out(client, current_agreement(client))
