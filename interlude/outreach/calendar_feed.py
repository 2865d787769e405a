"""Private calendar feeds (iCalendar, RFC 5545) of a clinician's or a client's appointments.

A feed is reached at /calendar/<token>.ics, where the token is 32 random bytes
(`secrets.token_urlsafe(32)`) shown once; only its SHA-256 is stored. Making a new link revokes
the old one, and a revoked or unknown token answers 404.

What a feed holds, and why so little: a calendar feed leaves the app for calendar services
that are outside the practice's control, so it carries the minimum necessary.
- The client's feed: "Video session with Dr. Rivera" (the kind and the clinician's name, which
  the client already knows).
- The clinician's feed: "Video session: J. D.", the client's initials only; the name, the
  video link and any address stay in the app, one click away (DESCRIPTION holds the app's URL).
- No LOCATION in either: a video link lets anyone who has it join the session, and an address
  next to a client's name says that person is in therapy.
- Appointments from 30 days back to one year ahead; cancelled ones stay, STATUS:CANCELLED, so a
  calendar that already copied them removes or strikes them out.
- UID `appointment-<pk>@interlude` and SEQUENCE = `Appointment.sequence`, so a moved
  appointment updates the existing entry; DTSTAMP and LAST-MODIFIED are the appointment's last
  change, so refetching an unchanged feed changes nothing.
- Times are UTC (DTSTART:20260309T130000Z): a single appointment is one instant, every
  calendar app shows it in the device's own zone, and no daylight-saving rule can move it. We
  tried TZID with a VTIMEZONE instead: icalendar writes each zone's transitions as long RDATE
  lists, and the independent parser in our tests (vobject) reads only the first date of each,
  which put a June 9:00 New York session at 10:00. UTC is read the same way everywhere.

Reading a feed reads clinical data (who has a session when), so it is audited; but calendar
apps fetch a feed every few minutes, and an event for each fetch would bury the trail under
identical rows. A feed's read is recorded at most once an hour (claimed with a conditional
update, so two simultaneous fetches write one event): the trail still shows that the feed was
in use, when, and from which address.
"""

import hashlib
import secrets
from datetime import UTC, timedelta

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from interlude.accounts.models import Client, Clinician
from interlude.audit.service import record

from .models import Appointment, CalendarFeed

DAYS_BACK = 30
DAYS_AHEAD = 365
AUDIT_EVERY = timedelta(hours=1)
PRODID = "-//Interlude//Appointments//EN"


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token):
    return settings.SITE_URL.rstrip("/") + reverse("calendar_feed", args=[token])


def feed_owner(user):
    """The Clinician or Client row whose appointments this user's feed shows, or None."""
    return (Clinician.objects.filter(user_id=user.pk).first()
            or Client.objects.filter(user_id=user.pk).first())


def active_feed(user):
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def _revoke(user, now):
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)


def issue_feed(user, request=None):
    """Make a new feed link for `user`, revoking any earlier one; returns the raw token."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        revoked = _revoke(user, now)
        feed = CalendarFeed.objects.create(user=user, token_hash=hash_token(token),
                                           created_at=now)
        record(user, "create", "calendar_feed", feed.pk, request=request,
               detail={"revoked": revoked})
    return token


def turn_off(user, request=None):
    """Revoke the user's feed link; returns how many links were revoked."""
    with transaction.atomic():
        revoked = _revoke(user, timezone.now())
        if revoked:
            record(user, "revoke", "calendar_feed", "", request=request,
                   detail={"revoked": revoked})
    return revoked


def find_feed(token):
    """The live feed for this token with its owner's rows, or None."""
    if not token:
        return None
    return (CalendarFeed.objects
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .select_related("user", "user__clinician", "user__client",
                            "user__client__clinician")
            .first())


def _owner_of(feed):
    for name in ("clinician", "client"):
        try:
            return getattr(feed.user, name)
        except (Clinician.DoesNotExist, Client.DoesNotExist):
            continue
    return None


def appointments_for(owner, now):
    """The owner's appointments in the feed's window, in one query."""
    window = Q(start__gte=now - timedelta(days=DAYS_BACK),
               start__lt=now + timedelta(days=DAYS_AHEAD))
    if isinstance(owner, Clinician):
        rows = Appointment.objects.filter(window, clinician=owner).select_related("client")
    else:
        rows = Appointment.objects.filter(window, client=owner).select_related("clinician")
    return list(rows.order_by("start", "pk"))


def initials(name):
    parts = [p for p in (name or "").replace("-", " ").split() if p[:1].isalpha()]
    return " ".join(f"{p[0].upper()}." for p in parts[:3]) or "?"


def _kind_label(appointment):
    return {
        Appointment.Kind.VIDEO: _("Video session"),
        Appointment.Kind.PHONE: _("Phone session"),
        Appointment.Kind.IN_PERSON: _("In-person session"),
    }.get(appointment.kind, _("Session"))


def summary(owner, appointment):
    if isinstance(owner, Clinician):
        return _("%(kind)s: %(initials)s") % {"kind": _kind_label(appointment),
                                              "initials": initials(appointment.client.display_name)}
    return _("%(kind)s with %(clinician)s") % {"kind": _kind_label(appointment),
                                               "clinician": appointment.clinician.display_name}


def _event(owner, appointment, description):
    event = icalendar.Event()
    event.add("uid", f"appointment-{appointment.pk}@interlude")
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", appointment.updated_at)
    event.add("last-modified", appointment.updated_at)
    event.add("created", appointment.created_at)
    event.add("dtstart", appointment.start.astimezone(UTC))
    event.add("dtend", appointment.end.astimezone(UTC))
    event.add("summary", summary(owner, appointment))
    event.add("description", description)
    cancelled = appointment.status == Appointment.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def render_feed(owner, appointments):
    """The feed as iCalendar bytes, in the owner's language."""
    with translation.override(owner.user.preferred_language or settings.LANGUAGE_CODE):
        calendar = icalendar.Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Interlude appointments"))
        # Ask calendar apps to refetch hourly; many choose their own interval anyway.
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
        description = _("Details in Interlude: %(url)s") % {
            "url": settings.SITE_URL.rstrip("/") + "/"}
        for appointment in appointments:
            calendar.add_component(_event(owner, appointment, description))
        return calendar.to_ical()


def _audit_read(feed, owner, count, request, now):
    claimed = (CalendarFeed.objects.filter(pk=feed.pk)
               .filter(Q(last_audited_at__isnull=True) | Q(last_audited_at__lte=now - AUDIT_EVERY))
               .update(last_audited_at=now))
    if claimed:
        record(feed.user, "view", "calendar_feed", feed.pk, request=request,
               client=owner if isinstance(owner, Client) else None,
               detail={"appointments": count, "owner": owner._meta.model_name})


def read_feed(token, request=None):
    """The iCalendar bytes of the feed behind `token`, or None for no such live feed."""
    feed = find_feed(token)
    owner = _owner_of(feed) if feed else None
    if owner is None:
        return None
    now = timezone.now()
    appointments = appointments_for(owner, now)
    body = render_feed(owner, appointments)
    with transaction.atomic():
        _audit_read(feed, owner, len(appointments), request, now)
    return body
