"""One shape for every refusal: {"detail": "...", "errors": {field: [messages]}} where it helps.

Django's ValidationError (raised by the rules) and ninja's (raised while reading the body or the
query) both answer 422 with the same shape, so a caller reads field errors in one way.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import ValidationError as NinjaValidationError

from interlude.agreements.services import (
    JurisdictionNotCovered,
    OpenInboxRiskUnconfirmed,
    SignatureRefused,
)

NON_FIELD = "__all__"
# Where ninja says the value came from; the rest of its path names the field.
SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def django_errors(exc):
    if hasattr(exc, "error_dict"):
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {NON_FIELD: list(exc.messages)}


def _field_name(loc, source_params):
    parts = [str(part) for part in loc]
    if parts and parts[0] in SOURCES:
        parts = parts[1:]
    # A body schema is one parameter; its name is not part of what the caller sent.
    if parts and parts[0] in source_params:
        parts = parts[1:]
    return ".".join(parts) or NON_FIELD


def ninja_errors(exc, source_params=("payload",)):
    errors = {}
    for error in exc.errors:
        field = _field_name(error.get("loc", ()), source_params)
        message = error.get("msg", "").removeprefix("Value error, ")
        errors.setdefault(field, []).append(message)
    return errors


def _summary(errors):
    fields = sorted(k for k in errors if k != NON_FIELD)
    if fields:
        return _("Some values are not valid: %(fields)s.") % {"fields": ", ".join(fields)}
    return " ".join(errors.get(NON_FIELD, [])) or _("The request is not valid.")


def register(api):
    def validation(request, exc):
        errors = django_errors(exc)
        return api.create_response(request, {"detail": _summary(errors), "errors": errors},
                                   status=422)

    def body_validation(request, exc):
        errors = ninja_errors(exc)
        return api.create_response(request, {"detail": _summary(errors), "errors": errors},
                                   status=422)

    def jurisdiction(request, exc):
        detail = " ".join(exc.messages) + " " + _(
            "To offer it anyway, send the same request again with acknowledge_jurisdiction "
            "set to true.")
        return api.create_response(
            request, {"detail": detail, "code": "jurisdiction_not_covered"}, status=409)

    def inbox_risk(request, exc):
        detail = " ".join(exc.messages) + " " + _(
            "To open it anyway, send the same request again with confirm_open_inbox_risk set "
            "to true.")
        return api.create_response(
            request, {"detail": detail, "code": "open_inbox_risk_unconfirmed"}, status=409)

    def signature(request, exc):
        return api.create_response(
            request, {"detail": " ".join(exc.messages), "code": "signature_refused"}, status=409)

    def not_found(request, exc):
        # The messages given to Http404 name what was looked for, never whether it exists.
        return api.create_response(request, {"detail": str(exc) or _("Not found.")},
                                   status=404)

    api.add_exception_handler(DjangoValidationError, validation)
    api.add_exception_handler(NinjaValidationError, body_validation)
    api.add_exception_handler(JurisdictionNotCovered, jurisdiction)
    api.add_exception_handler(OpenInboxRiskUnconfirmed, inbox_risk)
    api.add_exception_handler(SignatureRefused, signature)
    def forbidden(request, exc):
        return api.create_response(
            request, {"detail": str(exc) or _("You may not do this.")}, status=403)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
