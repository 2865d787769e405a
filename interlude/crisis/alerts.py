"""Urgent alerts: an urgent client message on its way to a person, and up the line.

The agreement's crisis route names who: the clinician (inside their crisis hours when the
agreement sets them), the practice's on-call rota, or crisis resources only. An alert that
nobody acknowledges within ALERT_ESCALATE_MINUTES goes to the next person on the rota, then to
the practice's admins. A failed delivery of an alert escalates at once (an outbox hook).
Where nobody is on duty, the alert is `unrouted`, the message is pinned at the top of the
clinician's inbox and the client is told so plainly. Every step is audited.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from interlude.agreements import availability
from interlude.audit.service import record
from interlude.outreach import outbox
from interlude.outreach.channels import ChannelUnavailable

from . import rota
from .models import AlertNotice, UrgentAlert

log = logging.getLogger(__name__)
ALERT_KIND = "urgent_alert"


def escalate_after():
    return timedelta(minutes=settings.ALERT_ESCALATE_MINUTES)


def route_of(client, at):
    """(route, first recipients in order) for an urgent message from `client` at `at`."""
    agreement = availability.current_agreement(client)
    if agreement is None or not availability.is_signed(agreement):
        return "resources", []
    route = agreement.crisis_route
    if route == "on_call":
        return route, rota.on_duty(client.practice, at)
    if route == "clinician":
        allowed = availability.check(client, "crisis", at).allowed
        return route, [client.clinician.user] if allowed else []
    return route, []


def raise_alert(message, at):
    """Create the alert for an urgent message and send it to the first person on duty."""
    client = message.thread.client
    route, people = route_of(client, at)
    alert = UrgentAlert.objects.create(practice=client.practice, client=client, message=message,
                                       route=route, created_at=at)
    record(None, "raise", "UrgentAlert", alert.pk, practice=client.practice, client=client,
           label="triage", detail={"route": route, "message": message.pk})
    if people:
        _notify(alert, people[0], step=0, reason=f"route:{route}", at=at)
    else:
        _unrouted(alert, at)
    return alert


def _unrouted(alert, at):
    alert.state = UrgentAlert.State.UNROUTED
    alert.escalate_at = None
    alert.save(update_fields=["state", "escalate_at"])
    message = alert.message
    message.pinned_at = at
    message.save(update_fields=["pinned_at"])
    record(None, "unrouted", "UrgentAlert", alert.pk, practice=alert.practice_id,
           client=alert.client, label="triage", detail={"route": alert.route, "pinned": True})


def alert_words(alert, user):
    """Subject and body for an alert. No message text: email and SMS leave Interlude."""
    with translation.override(user.preferred_language):
        subject = _("Urgent: a client needs attention now")
        body = _("A message from a client of %(practice)s was assessed as urgent. Open it and "
                 "acknowledge the alert: %(link)s") % {
            "practice": alert.practice.name,
            "link": settings.SITE_URL.rstrip("/") + reverse("alert_detail", args=[alert.pk])}
    return subject, body


def _channels_for(alert, user):
    """In-app (the address is the alert's page) and email when the person has one."""
    channels = [("in_app", reverse("alert_detail", args=[alert.pk]))]
    if user.email:
        channels.append(("email", user.email))
    return channels


def _notify(alert, user, *, step, reason, at):
    """Send the alert to `user` on every channel they have, as urgent outbox rows."""
    AlertNotice.objects.create(alert=alert, recipient=user, step=step, reason=reason,
                               created_at=at)
    alert.escalate_at = at + escalate_after()
    alert.save(update_fields=["escalate_at"])
    subject, body = alert_words(alert, user)
    for channel, address in _channels_for(alert, user):
        try:
            outbox.enqueue(practice=alert.practice, channel=channel, kind=ALERT_KIND,
                           idempotency_key=f"alert:{alert.pk}:{step}:{channel}",
                           recipient=user, address=address, subject=subject, body=body,
                           ref=("urgent_alert", alert.pk), urgent=True, due_at=at)
        except ChannelUnavailable:  # a channel the practice lacks; the in-app row still goes
            continue
    record(None, "notify", "UrgentAlert", alert.pk, practice=alert.practice_id,
           client=alert.client, label="crisis alert",
           detail={"recipient": user.pk, "step": step, "reason": reason})


def next_person(alert, at):
    """(user, reason) of whoever comes next: the rota at `at`, then the practice's admins."""
    notified = set(alert.notices.values_list("recipient_id", flat=True))
    for user in rota.on_duty(alert.practice, at):
        if user.pk not in notified:
            return user, "rota"
    admins = (get_user_model().objects.filter(practice=alert.practice, is_practice_admin=True,
                                              is_active=True).order_by("pk"))
    for user in admins:
        if user.pk not in notified:
            return user, "admin"
    return None, ""


def escalate(alert, at, why):
    """Send an open alert to the next person; audited either way. Returns the user or None."""
    with transaction.atomic():
        alert = UrgentAlert.objects.select_for_update().get(pk=alert.pk)
        if alert.state != UrgentAlert.State.OPEN:
            return None
        user, reason = next_person(alert, at)
        if user is None:
            alert.escalate_at = None
            alert.save(update_fields=["escalate_at"])
            record(None, "escalation_exhausted", "UrgentAlert", alert.pk,
                   practice=alert.practice_id, client=alert.client, label="crisis alert",
                   detail={"why": why})
            return None
        step = alert.notices.count()
        record(None, "escalate", "UrgentAlert", alert.pk, practice=alert.practice_id,
               client=alert.client, label="crisis alert",
               detail={"why": why, "to": user.pk, "step": step})
        _notify(alert, user, step=step, reason=f"{why}:{reason}", at=at)
        return user


def escalate_due(now):
    """The planner: escalate every open alert whose time to acknowledge has run out."""
    due = UrgentAlert.objects.filter(state=UrgentAlert.State.OPEN, escalate_at__lte=now)
    escalated = 0
    for alert in list(due.select_related("practice", "client")):
        escalated += escalate(alert, now, "not_acknowledged") is not None
    return escalated


@outbox.on_urgent_failure
def escalate_failed_alert(delivery, error):
    """An alert that could not be delivered to someone goes to the next person at once."""
    if delivery.kind != ALERT_KIND or delivery.ref_type != "urgent_alert":
        return
    alert = UrgentAlert.objects.filter(pk=delivery.ref_id).select_related("practice").first()
    if alert is not None:
        escalate(alert, timezone.now(), "delivery_failed")


def acknowledge(user, alert, *, request=None):
    """The person who takes the alert on. Returns False when it was already acknowledged."""
    with transaction.atomic():
        updated = UrgentAlert.objects.filter(
            pk=alert.pk, state__in=[UrgentAlert.State.OPEN, UrgentAlert.State.UNROUTED],
        ).update(state=UrgentAlert.State.ACKNOWLEDGED, acknowledged_at=timezone.now(),
                 acknowledged_by=user, escalate_at=None)
        if updated:
            record(user, "acknowledge", "UrgentAlert", alert.pk, request=request,
                   client=alert.client)
    return bool(updated)
