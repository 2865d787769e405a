"""Urgent alerts: an urgent client message on its way to a person, and up the line.

The agreement's crisis route names who: the clinician (inside their crisis hours when the
agreement sets them), the practice's on-call rota, or crisis resources only. An alert that
nobody acknowledges within ALERT_ESCALATE_MINUTES goes to the next person on the rota, then to
the practice's admins. A failed delivery of an alert escalates at once (an outbox hook).
Where nobody is on duty, the alert is `unrouted`, the message is pinned at the top of the
clinician's inbox and the client is told so plainly; a gap in the on-call rota that nobody
fills within the same time goes to the practice's admins. Every step is audited.

Who may see an alert: the people it was sent to and the client's own clinician; anyone else
is told it does not exist.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404
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
# How far back the planner looks for urgent messages whose alert still needs a person.
RECHECK = timedelta(hours=24)


def escalate_after():
    return timedelta(minutes=settings.ALERT_ESCALATE_MINUTES)


def route_of(client, at):
    """(route, first recipients in order) for an urgent message from `client` at `at`."""
    agreement = availability.crisis_agreement(client)
    if agreement is None:
        return "resources", []
    route = agreement.crisis_route
    if route == "on_call":
        return route, rota.on_duty(client.practice, at)
    if route == "clinician":
        # The agreement's clinician, whose crisis hours and time off the answer was asked of.
        user = agreement.clinician.user
        allowed = availability.check(client, "crisis", at).allowed
        return route, [user] if allowed and user.is_active else []
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


def _pin(alert, at):
    """Keep the message at the top of the clinician's inbox until they unpin it."""
    message = alert.message
    if message.pinned_at is None:
        message.pinned_at = at
        message.save(update_fields=["pinned_at"])


def _unrouted(alert, at):
    alert.state = UrgentAlert.State.UNROUTED
    # The agreement promised an on-call rota and it has a gap: if nobody comes on duty in
    # time, the practice's admins are told, as for an alert nobody acknowledged. A clinician
    # route outside the crisis hours the client agreed to waits for those hours instead.
    alert.escalate_at = at + escalate_after() if alert.route == "on_call" else None
    alert.save(update_fields=["state", "escalate_at"])
    _pin(alert, at)
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
    """In-app (the address is the alert's page), email when the person has one, and a text
    to a clinician's alert phone, which can wake them at night. The enqueue skips SMS for a
    practice that has not turned it on."""
    channels = [("in_app", reverse("alert_detail", args=[alert.pk]))]
    if user.email:
        channels.append(("email", user.email))
    # Admins without a Clinician row have no alert phone (the missing relation is None here).
    clinician = getattr(user, "clinician", None)
    if clinician is not None and clinician.alert_phone:
        channels.append(("sms", clinician.alert_phone))
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


def practice_admins(practice):
    """Active admins of the practice: the admin role, or a clinician who runs the practice."""
    return (get_user_model().objects
            .filter(Q(role="admin") | Q(is_practice_admin=True), practice=practice,
                    is_active=True)
            .order_by("pk"))


def next_person(alert, at):
    """(user, reason) of whoever comes next: the rota at `at`, then the practice's admins."""
    notified = set(alert.notices.values_list("recipient_id", flat=True))
    for user in rota.on_duty(alert.practice, at):
        if user.pk not in notified:
            return user, "rota"
    for user in practice_admins(alert.practice):
        if user.pk not in notified:
            return user, "admin"
    return None, ""


def _still_due(alert, at, why, from_recipient):
    """Whether this call should move the alert on, now that its row is locked.

    An open alert without `escalate_at` went to everyone there is. Two planners that both saw
    the alert due must not move it two steps, and a repeated failure of an earlier person's
    delivery must not take the current person's time to acknowledge away.
    """
    waiting = (UrgentAlert.State.OPEN, UrgentAlert.State.UNROUTED)
    if alert.state not in waiting or alert.escalate_at is None:
        return False
    if why in ("not_acknowledged", "nobody_on_duty") and alert.escalate_at > at:
        return False
    if from_recipient is not None:
        latest = alert.notices.order_by("-step").values_list("recipient_id", flat=True).first()
        return latest == from_recipient
    return True


def escalate(alert, at, why, *, from_recipient=None):
    """Send an open alert to the next person; audited either way. Returns the user or None.

    `from_recipient`: move on only while that user is still the last person the alert went to.
    """
    with transaction.atomic():
        alert = (UrgentAlert.objects.select_for_update().select_related("practice", "client")
                 .get(pk=alert.pk))
        if not _still_due(alert, at, why, from_recipient):
            return None
        user, reason = next_person(alert, at)
        if user is None:
            _exhausted(alert, at, why)
            return None
        step = alert.notices.count()
        record(None, "escalate", "UrgentAlert", alert.pk, practice=alert.practice_id,
               client=alert.client, label="crisis alert",
               detail={"why": why, "to": user.pk, "step": step})
        if alert.state == UrgentAlert.State.UNROUTED:
            alert.state = UrgentAlert.State.OPEN
            alert.save(update_fields=["state"])
        _notify(alert, user, step=step, reason=f"{why}:{reason}", at=at)
        return user


def _exhausted(alert, at, why):
    """Everyone there is has the alert: it stays open, and pinned for the client's clinician."""
    alert.escalate_at = None
    alert.save(update_fields=["escalate_at"])
    _pin(alert, at)
    record(None, "escalation_exhausted", "UrgentAlert", alert.pk, practice=alert.practice_id,
           client=alert.client, label="crisis alert", detail={"why": why, "pinned": True})
    log.error("urgent alert %s: nobody is left to escalate to", alert.pk)


def escalate_due(now):
    """The planner: raise alerts a failed send request left behind, offer alerts that found
    nobody on duty to whoever has come on duty since, and escalate every open alert whose
    time to acknowledge has run out."""
    acted = raise_missing(now) + reoffer_unrouted(now)
    due = (UrgentAlert.objects
           .filter(Q(state=UrgentAlert.State.OPEN) | _unattended(now), escalate_at__lte=now)
           .order_by("escalate_at", "pk").values_list("pk", "state"))
    for pk, state in list(due):
        why = "nobody_on_duty" if state == UrgentAlert.State.UNROUTED else "not_acknowledged"
        try:
            acted += escalate(UrgentAlert(pk=pk), now, why) is not None
        except Exception as exc:  # noqa: BLE001 - one broken alert must not stop the others
            log.error("escalating urgent alert %s failed: %s", pk, type(exc).__name__)
    return acted


def raise_missing(now):
    """Urgent client messages of the last RECHECK without an alert (raising it failed in the
    send request): raise it now."""
    from interlude.inbox.models import Message

    missing = (Message.objects.filter(level=Message.Level.URGENT, sender=Message.Sender.CLIENT,
                                      created_at__gte=now - RECHECK, urgent_alert__isnull=True)
               .select_related("thread__client__practice").defer("body", "triage_reasons"))
    raised = 0
    for message in list(missing):
        try:
            with transaction.atomic():
                raise_alert(message, now)
            raised += 1
        except Exception as exc:  # noqa: BLE001 - the next pass tries again
            log.error("raising the alert for message %s failed again: %s", message.pk,
                      type(exc).__name__)
    return raised


def _waiting_for_someone():
    """Alerts nobody has: unrouted, or open after everyone there was had it (exhausted)."""
    return (Q(state=UrgentAlert.State.UNROUTED)
            | Q(state=UrgentAlert.State.OPEN, escalate_at__isnull=True))


def _unattended(now):
    """Unrouted alerts whose message nobody has looked at yet (read or unpinned it), from the
    last RECHECK: older news is not worth waking someone for."""
    return Q(state=UrgentAlert.State.UNROUTED, created_at__gte=now - RECHECK,
             message__read_at__isnull=True, message__unpinned_at__isnull=True)


def reoffer_unrouted(now):
    """An alert that found nobody on duty, or ran out of people, goes to the first person on
    duty now who has not had it (a shift has started, crisis hours have begun), unless the
    clinician has read or unpinned the message or it is older than RECHECK."""
    waiting = (UrgentAlert.objects.filter(_waiting_for_someone(),
                                          created_at__gte=now - RECHECK,
                                          message__read_at__isnull=True,
                                          message__unpinned_at__isnull=True)
               .select_related("client__practice", "client__clinician__user", "practice"))
    offered = 0
    for alert in list(waiting):
        _route, people = route_of(alert.client, now)
        notified = set(alert.notices.values_list("recipient_id", flat=True))
        person = next((user for user in people if user.pk not in notified), None)
        if person is not None:
            offered += _reoffer(alert, person, now)
    return offered


def _reoffer(alert, person, now):
    """Offer a waiting alert to `person`, unless someone acknowledged it (or another
    dispatcher offered it) since the planner read it; the row lock makes that check hold."""
    with transaction.atomic():
        locked = UrgentAlert.objects.select_for_update().filter(
            _waiting_for_someone(), pk=alert.pk).first()
        if locked is None:
            return 0
        alert.state = UrgentAlert.State.OPEN
        alert.save(update_fields=["state"])
        _notify(alert, person, step=alert.notices.count(), reason="came_on_duty", at=now)
    return 1


@outbox.on_urgent_failure
def escalate_failed_alert(delivery, error):
    """An alert that could not be delivered to someone goes to the next person at once.

    Idempotent, as hooks must be: a retried delivery that fails again after the alert moved
    on, or after it was acknowledged, changes nothing.
    """
    if delivery.kind != ALERT_KIND or delivery.ref_type != "urgent_alert":
        return
    if UrgentAlert.objects.filter(pk=delivery.ref_id).exists():
        escalate(UrgentAlert(pk=int(delivery.ref_id)), timezone.now(), "delivery_failed",
                 from_recipient=delivery.recipient_id)


# --- who sees an alert, and acknowledging it ------------------------------------------------

def visible_alerts(user):
    """The alerts `user` may open: sent to them, or about one of their own clients."""
    if (not user.is_authenticated or not user.is_active or user.practice_id is None
            or not (user.is_clinician or user.is_admin)):
        return UrgentAlert.objects.none()
    sent_to_me = AlertNotice.objects.filter(recipient_id=user.pk).values("alert_id")
    return UrgentAlert.objects.filter(
        Q(client__clinician__user_id=user.pk) | Q(pk__in=sent_to_me),
        practice_id=user.practice_id)


def alert_list(user):
    """Visible alerts for the list page: those waiting first, then the newest."""
    waiting = Case(When(state=UrgentAlert.State.ACKNOWLEDGED, then=Value(1)), default=Value(0),
                   output_field=IntegerField())
    return (visible_alerts(user).select_related("client__clinician")
            .annotate(waiting=waiting, people=Count("notices"))
            .order_by("waiting", "-created_at", "-pk"))


def get_alert(user, pk):
    """The alert with its client, message and clinician, or 404 for anyone who may not see it."""
    alert = (visible_alerts(user)
             .select_related("client__clinician__user", "client__user", "message__thread",
                             "acknowledged_by", "practice")
             .filter(pk=pk).first())
    if alert is None:
        raise Http404("No such alert")
    return alert


def may_see(user, alert):
    return visible_alerts(user).filter(pk=alert.pk).exists()


def view_alert(user, alert, request=None):
    """Opening an alert is reading the client's message: audit it."""
    if not may_see(user, alert):
        raise Http404("No such alert")
    record(user, "view", "UrgentAlert", alert.pk, request=request, practice=alert.practice_id,
           client=alert.client_id, detail={"message": alert.message_id, "state": alert.state})
    return alert


def acknowledge(user, alert, *, request=None):
    """The person who takes the alert on. Returns False when it was already acknowledged."""
    if not may_see(user, alert):
        raise Http404("No such alert")
    with transaction.atomic():
        updated = UrgentAlert.objects.filter(
            pk=alert.pk, state__in=[UrgentAlert.State.OPEN, UrgentAlert.State.UNROUTED],
        ).update(state=UrgentAlert.State.ACKNOWLEDGED, acknowledged_at=timezone.now(),
                 acknowledged_by=user, escalate_at=None)
        if updated:
            # Nobody else needs to be told any more: withdraw alert messages not yet sent.
            outbox.cancel_pending("urgent_alert", alert.pk, kinds=[ALERT_KIND])
            record(user, "acknowledge", "UrgentAlert", alert.pk, request=request,
                   practice=alert.practice_id, client=alert.client_id,
                   detail={"was": alert.state, "steps": alert.notices.count()})
    return bool(updated)
