"""Connection agreements: presets, versions, reading one (audited) and offering a new one."""

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from interlude.accounts.access import get_client
from interlude.agreements.presets import PRESETS
from interlude.agreements.services import (
    create_agreement,
    current_agreement,
    initial_fields,
    jurisdiction_covered,
    view_agreement,
)
from interlude.audit.service import record

from ..auth import require_staff
from ..present import agreement_fields, agreement_out, agreement_version_out
from ..schemas import AgreementIn, AgreementOut, AgreementVersion, PrefilledOut, Preset, PresetOut
from .common import READ_ERRORS, WRITE_ERRORS, created

router = Router(tags=["agreements"])


def _staff_client(request, client_id):
    require_staff(request.auth)
    return get_client(request.auth, client_id)


def _preset_out(key):
    return {"key": key, "label": str(PRESETS[key]["label"]),
            "summary": str(PRESETS[key]["summary"])}


@router.get("/presets", response={200: list[PresetOut], **READ_ERRORS},
            summary="The modality presets an agreement can start from")
def presets(request):
    require_staff(request.auth)
    return [_preset_out(key) for key in PRESETS]


@router.get("/clients/{int:client_id}/presets/{preset}",
            response={200: PrefilledOut, **READ_ERRORS},
            summary="A preset's values, prefilled for this client and the practice's defaults")
def prefilled(request, client_id: int, preset: Preset):
    client = _staff_client(request, client_id)
    fields = initial_fields(client, preset.value)
    return _preset_out(preset.value) | {
        "client_id": client.pk, "fields": agreement_fields(fields),
        "jurisdiction_covered": jurisdiction_covered(client.clinician, client)}


@router.get("/clients/{int:client_id}/agreements",
            response={200: list[AgreementVersion], **READ_ERRORS},
            summary="Every version of the client's agreement, newest first")
def versions(request, client_id: int):
    client = _staff_client(request, client_id)
    rows = list(client.agreements.select_related("signature").order_by("-version"))
    record(request.auth, "list", "ConnectionAgreement", request=request, client=client,
           detail={"versions": [row.version for row in rows]})
    return [agreement_version_out(row) for row in rows]


@router.get("/clients/{int:client_id}/agreements/current",
            response={200: AgreementOut, **READ_ERRORS},
            summary="The client's current agreement (the read is audited)")
def current(request, client_id: int):
    client = _staff_client(request, client_id)
    agreement = current_agreement(client)
    if agreement is None:
        raise Http404(_("This client has no agreement yet."))
    view_agreement(request.auth, agreement, request=request)
    return agreement_out(agreement)


@router.get("/clients/{int:client_id}/agreements/{int:version}",
            response={200: AgreementOut, **READ_ERRORS},
            summary="One version of the client's agreement (the read is audited)")
def one_version(request, client_id: int, version: int):
    client = _staff_client(request, client_id)
    agreement = (client.agreements.select_related("signature", "clinician")
                 .filter(version=version).first())
    if agreement is None:
        raise Http404(_("No such version."))
    view_agreement(request.auth, agreement, request=request)
    return agreement_out(agreement)


@router.post("/clients/{int:client_id}/agreements", response={201: AgreementOut, **WRITE_ERRORS},
             summary="Offer a new version of the client's agreement")
def offer(request, client_id: int, payload: AgreementIn):
    client = _staff_client(request, client_id)
    # One transaction: a refusal leaves nothing behind, not even the practice defaults row
    # that prefilling may create.
    with transaction.atomic():
        fields = initial_fields(client, payload.preset.value)
        fields.update(payload.fields.changes())
        agreement = create_agreement(
            request.auth, client, fields, preset=payload.preset.value,
            acknowledge_jurisdiction=payload.acknowledge_jurisdiction,
            confirm_open_inbox_risk=payload.confirm_open_inbox_risk, request=request)
    return created(agreement_out(agreement))
