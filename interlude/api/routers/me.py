"""Who am I, and for clients: their own agreement and signing it."""

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from interlude.accounts.access import own_client
from interlude.accounts.models import Clinician
from interlude.agreements.services import current_agreement, sign_agreement, view_agreement
from interlude.audit.service import client_ip

from ..auth import require_client
from ..present import agreement_out
from ..schemas import AgreementOut, MeOut, SignatureOut, SignIn
from .common import READ_ERRORS, WRITE_ERRORS, created

router = Router(tags=["me"])


def _practice(user):
    practice = user.practice
    if practice is None:
        return None
    return {"id": practice.pk, "name": practice.name, "slug": practice.slug,
            "time_zone": practice.time_zone}


@router.get("/me", response={200: MeOut, **READ_ERRORS}, summary="Who am I")
def me(request):
    user = request.auth
    clinician_id = client_id = None
    if user.is_clinician:
        clinician_id = (Clinician.objects.filter(user_id=user.pk)
                        .values_list("pk", flat=True).first())
    if user.is_client:
        client_id = user.client.pk if hasattr(user, "client") else None
    return {"id": user.pk, "email": user.email, "full_name": user.full_name, "role": user.role,
            "is_admin": user.is_admin, "language": user.preferred_language,
            "practice": _practice(user), "clinician_id": clinician_id, "client_id": client_id}


@router.get("/me/agreement", response={200: AgreementOut, **READ_ERRORS},
            summary="My current agreement (clients)")
def my_agreement(request):
    user = request.auth
    require_client(user)
    agreement = current_agreement(own_client(user))
    if agreement is None:
        raise Http404(_("You have no connection agreement yet."))
    view_agreement(user, agreement, request=request)
    return agreement_out(agreement)


@router.post("/me/agreement/sign", response={201: SignatureOut, **WRITE_ERRORS},
             summary="Sign my current agreement (clients)")
def sign(request, payload: SignIn):
    user = request.auth
    require_client(user)
    client = own_client(user)
    with transaction.atomic():
        agreement = client.agreements.select_related("signature").filter(
            version=payload.version).first()
        if agreement is None:
            raise Http404(_("There is no such version of your agreement."))
        signature = sign_agreement(user, agreement, ip_address=client_ip(request),
                                   user_agent=request.headers.get("User-Agent", ""),
                                   request=request)
    return created({"version": signature.version, "signed_at": signature.signed_at})
