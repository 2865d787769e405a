"""The rules of the safety plan: who may read and write it, how versions are made, what the
audit trail says.

A safety plan is clinical content between a client and their clinician: only those two may read
or change it. A practice admin, who may see a client's agreement, may not see the plan.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from interlude.accounts.access import get_client, own_client
from interlude.audit.service import record

from .models import STEP_NAMES, SafetyPlan

MAX_STEP_LENGTH = 2000


def may_write(actor, client):
    """The client themself or the client's own clinician; nobody else."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    return actor.pk in (client.user_id, client.clinician.user_id)


def plan_client_for(actor, pk=None):
    """The client whose plan `actor` may open: their own (no pk), or one of a clinician's own
    clients. Anyone else, admins included, gets 404."""
    client = own_client(actor) if pk is None else get_client(actor, pk)
    if not may_write(actor, client):
        raise Http404("No such safety plan")
    return client


def current_plan(client):
    return client.safety_plans.order_by("-version").first()


def plan_version(client, version):
    return client.safety_plans.filter(version=version).first()


def history(client):
    """Every version, newest first, without the encrypted text."""
    return (client.safety_plans.select_related("created_by").order_by("-version")
            .only("pk", "version", "created_at", "created_by__full_name", "client_id"))


def clean_fields(fields):
    """The seven steps as stripped text; ValidationError (by field) when the plan is empty or
    a step too long."""
    cleaned = {name: (fields.get(name) or "").strip() for name in STEP_NAMES}
    errors = {}
    for name, text in cleaned.items():
        if len(text) > MAX_STEP_LENGTH:
            errors[name] = _("Keep this step under %(limit)s characters (it has %(count)s).") % {
                "limit": f"{MAX_STEP_LENGTH:,}", "count": f"{len(text):,}"}
    if not any(cleaned.values()):
        errors["__all__"] = _("Fill in at least one step of the plan.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def save_plan(actor, client, fields, request=None):
    """Save the plan as a new version; returns (plan, created). Saving the same text again
    makes no new version."""
    if not may_write(actor, client):
        raise Http404("No such safety plan")
    cleaned = clean_fields(fields)
    with transaction.atomic():
        # Lock the client's row so two people saving at once cannot take the same version.
        type(client).objects.select_for_update().filter(pk=client.pk).first()
        previous = current_plan(client)
        changed = [name for name in STEP_NAMES
                   if cleaned[name] != (getattr(previous, name) if previous else "")]
        if not changed:
            return previous, False
        latest = client.safety_plans.aggregate(v=Max("version"))["v"] or 0
        plan = SafetyPlan.objects.create(client=client, version=latest + 1, created_by=actor,
                                         **cleaned)
        # Step names only: the text of a plan never enters the audit trail.
        record(actor, "create", "SafetyPlan", plan.pk, request=request, client=client,
               practice=client.practice_id, detail={"version": plan.version, "changed": changed})
    return plan, True


def view_plan(actor, plan, request=None):
    """Reading a safety plan is reading clinical data: audit it."""
    if not may_write(actor, plan.client):
        raise Http404("No such safety plan")
    record(actor, "view", "SafetyPlan", plan.pk, request=request, client=plan.client_id,
           practice=plan.client.practice_id, detail={"version": plan.version})
    return plan


def plan_for_crisis_page(actor, client, request=None):
    """The client's current plan, audited as read, or None when there is none yet."""
    plan = current_plan(client)
    if plan is not None:
        plan.client = client
        view_plan(actor, plan, request=request)
    return plan
