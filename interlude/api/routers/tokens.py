"""API tokens: made from a signed-in (and verified) browser session, shown once, revocable."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from interlude.accounts.models import ApiToken
from interlude.audit.service import record

from ..auth import SESSION_ONLY
from ..schemas import NewTokenOut, TokenIn, TokenOut
from .common import READ_ERRORS, WRITE_ERRORS, created, no_content

router = Router(tags=["tokens"])


@router.post("/tokens", auth=SESSION_ONLY, response={201: NewTokenOut, **WRITE_ERRORS},
             summary="Create an API token for yourself (from a browser session only)")
def create_token(request, payload: TokenIn):
    user = request.auth
    with transaction.atomic():
        row, raw = ApiToken.issue(user, payload.name)
        record(user, "create", "ApiToken", row.pk, request=request)
    return created({"id": row.pk, "name": row.name, "created_at": row.created_at,
                    "last_used_at": None, "revoked_at": None, "token": raw})


@router.get("/tokens", response={200: list[TokenOut], **READ_ERRORS},
            summary="Your API tokens (never the secrets)")
def list_tokens(request):
    return list(ApiToken.objects.filter(user=request.auth).order_by("-created_at", "-pk"))


@router.delete("/tokens/{int:token_id}", response={204: None, **WRITE_ERRORS},
               summary="Revoke one of your API tokens")
def revoke_token(request, token_id: int):
    user = request.auth
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if row is None:
            raise Http404(_("No such token."))
        if row.revoked_at is None:
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
            record(user, "revoke", "ApiToken", row.pk, request=request)
    return no_content()
