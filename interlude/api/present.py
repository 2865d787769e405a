"""Model rows to the plain values the output schemas read: formatting stays out of the routes."""

from interlude.agreements.services import is_signed

from .schemas import hhmm

AGREEMENT_OUT_FIELDS = (
    "self_help_open", "automated_open", "inbox_open", "inbox_promise",
    "inbox_response_business_days", "inbox_may_not_reply", "checkins_open",
    "checkin_weekly_cap", "checkin_minutes", "crisis_route", "coaching_calls",
    "coaching_call_minutes", "twenty_four_hour_rule",
)


def status_of(version, signed):
    if version is None:
        return "none"
    return "signed" if signed else "awaiting_signature"


def clinician_ref(clinician):
    return {"id": clinician.pk, "display_name": clinician.display_name}


def windows_out(rows):
    return [{"weekday": day, "start": start, "end": end} for day, start, end in rows]


def agreement_fields(fields):
    out = {key: fields[key] for key in AGREEMENT_OUT_FIELDS}
    out["crisis_hours"] = windows_out(fields.get("crisis_hours") or [])
    return out


def signature_of(agreement):
    return agreement.signature if is_signed(agreement) else None


def agreement_out(agreement):
    signature = signature_of(agreement)
    out = agreement_fields({key: getattr(agreement, key) for key in AGREEMENT_OUT_FIELDS}
                           | {"crisis_hours": agreement.crisis_hours})
    out.update(
        client_id=agreement.client_id, version=agreement.version, preset=agreement.preset,
        clinician=clinician_ref(agreement.clinician), created_at=agreement.created_at,
        status=status_of(agreement.version, signature is not None),
        signed_at=signature.signed_at if signature else None,
        jurisdiction_acknowledged_at=agreement.jurisdiction_acknowledged_at,
        notes=agreement.notes or "",
    )
    return out


def agreement_version_out(agreement):
    signature = signature_of(agreement)
    return {"version": agreement.version, "preset": agreement.preset,
            "created_at": agreement.created_at,
            "status": status_of(agreement.version, signature is not None),
            "signed_at": signature.signed_at if signature else None}


def summary(agreement):
    if agreement is None:
        return {"version": None, "status": "none"}
    return {"version": agreement.version, "status": status_of(agreement.version,
                                                               is_signed(agreement))}


def client_out(client, agreement):
    return {
        "id": client.pk, "display_name": client.display_name, "email": client.user.email,
        "language": client.user.preferred_language, "time_zone": client.time_zone,
        "country": client.country, "region": client.region,
        "jurisdiction": client.jurisdiction, "phone": client.phone,
        "preferred_channels": list(client.preferred_channels or []),
        "is_active": client.is_active, "created_at": client.created_at,
        "clinician": clinician_ref(client.clinician), "agreement": summary(agreement),
    }


def hours_out(rows):
    return [{"weekday": row.weekday, "start": hhmm(row.start), "end": hhmm(row.end)}
            for row in rows]
