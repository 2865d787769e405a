"""Signed links that let a client confirm or cancel an appointment from an email.

A token carries the appointment's id, its sequence (bumped when it moves) and the action,
signed with the project's secret and a salt of its own (django.core.signing, timestamped), so
it cannot be forged or turned from "confirm" into "cancel". It expires when the appointment
starts, and after `MAX_AGE_DAYS` whatever happens. A link for an earlier sequence is refused
with "the time changed", so a client never confirms a time that is no longer the booked one.

Opening a link (GET) changes nothing: mail scanners fetch links before people do. The page
asks the client to press a button, which POSTs.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .models import Appointment

SALT = "interlude.outreach.links.appointment"
ACTIONS = ("confirm", "cancel")
MAX_AGE_DAYS = 400

INVALID = "invalid"
EXPIRED = "expired"
MOVED = "moved"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class LinkCheck:
    """What a token says, once checked: `problem` is "" when the link may be used."""

    action: str
    appointment: Appointment | None = None
    problem: str = ""


def make_token(appointment, action):
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    payload = {"a": appointment.pk, "s": appointment.sequence, "x": action,
               "e": int(appointment.start.timestamp())}
    return signing.dumps(payload, salt=SALT, compress=True)


def link_path(appointment, action):
    return reverse(f"appointment_link_{action}", args=[make_token(appointment, action)])


def link_url(appointment, action):
    return settings.SITE_URL.rstrip("/") + link_path(appointment, action)


def _payload(token, action):
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=MAX_AGE_DAYS))
    except signing.SignatureExpired:
        return None, EXPIRED
    except signing.BadSignature:
        return None, INVALID
    valid = (isinstance(data, dict) and data.get("x") == action
             and all(isinstance(data.get(k), int) for k in ("a", "s", "e")))
    return (data, "") if valid else (None, INVALID)


def check_token(token, action, now=None):
    """Read a token for `action`; the appointment comes with its client, user and clinician."""
    if action not in ACTIONS:
        return LinkCheck(action, problem=INVALID)
    data, problem = _payload(token, action)
    if problem:
        return LinkCheck(action, problem=problem)
    appointment = (Appointment.objects.select_related("client", "client__user", "clinician",
                                                      "practice")
                   .filter(pk=data["a"]).first())
    if appointment is None:
        return LinkCheck(action, problem=INVALID)
    now = now or timezone.now()
    expires = min(appointment.start, datetime.fromtimestamp(data["e"], UTC))
    if appointment.sequence != data["s"]:
        problem = MOVED
    elif now >= expires:
        problem = EXPIRED
    elif appointment.status == Appointment.Status.CANCELLED:
        problem = CANCELLED
    return LinkCheck(action, appointment, problem)
