"""Automated outreach: appointments, reminders, schedules and the delivery outbox.

Every outbound message is a `Delivery` row with an idempotency key unique per logical message;
the dispatcher (`interlude dispatch`, or the thread inside `interlude serve`) claims due rows
under a lease, sends them through a channel, and records the result.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interlude.accounts.models import Client, Clinician, Practice, User
from interlude.core.crypto import EncryptedTextField

CHANNELS = [("in_app", _("In the app")), ("email", _("Email")), ("sms", _("Text message"))]


class Appointment(models.Model):
    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("Did not attend")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT,
                                  related_name="appointments")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.VIDEO)
    location = models.CharField(max_length=300, blank=True,
                                help_text=_("Address for in-person sessions, or the video link"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Bumped whenever the appointment moves, so reminders for the old time are superseded.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["clinician", "start"]),
                   models.Index(fields=["client", "start"])]
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")),
                                              name="appointment_ends_after_start")]


class ReminderRule(models.Model):
    """Send a reminder this many minutes before each appointment.

    Rules with no client are the practice's defaults; a client with rules of their own uses
    those instead.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="reminder_rules")
    minutes_before = models.PositiveIntegerField()

    class Meta:
        ordering = ["-minutes_before"]
        constraints = [models.UniqueConstraint(fields=["practice", "client", "minutes_before"],
                                               name="unique_reminder_rule")]


class MessageTemplate(models.Model):
    """A practice's wording for one kind of message on one channel, with {placeholders}.

    Bodies carry the minimum necessary: no clinical detail in an email or SMS by default.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Appointment reminder")
        CANCELLED_NOTICE = "cancelled_notice", _("Appointment cancelled (to the clinician)")
        CANCELLED_BY_CLINICIAN = "cancelled_by_clinician", _(
            "Appointment cancelled by the clinician (to the client)")
        SCHEDULED_MESSAGE = "scheduled_message", _("Scheduled message")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    channel = models.CharField(max_length=16, choices=CHANNELS)
    language = models.CharField(max_length=8, default="en")
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "kind", "channel", "language"],
                                               name="unique_message_template")]


class Schedule(models.Model):
    """What to send to whom and when: an RFC 5545 recurrence in the client's zone, or a
    number of minutes before each appointment."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="schedules")
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    channel = models.CharField(max_length=16, choices=CHANNELS, default="in_app")
    body = EncryptedTextField()
    # Either a recurrence (RRULE text, DTSTART as local wall time in the client's zone) ...
    rrule = models.CharField(max_length=500, blank=True)
    dtstart_local = models.DateTimeField(null=True, blank=True,
                                         help_text=_("Naive local time in the client's zone"))
    # ... or relative to each appointment.
    minutes_before_appointment = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    # What stopped the planner last time (a code such as "channel_off:sms"; no clinical text),
    # shown on the schedule page so nothing is dropped silently. Blank when planning worked.
    last_problem = models.CharField(max_length=200, blank=True)
    last_problem_at = models.DateTimeField(null=True, blank=True)


class Delivery(models.Model):
    """One outbound message. States: pending -> claimed -> sent, or back to pending with a
    later due time after a failure, or dead after the last attempt."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        CLAIMED = "claimed", _("Being sent")
        SENT = "sent", _("Sent")
        DEAD = "dead", _("Failed for good")
        CANCELLED = "cancelled", _("Cancelled")

    URGENT = 0
    NORMAL = 5

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=16, choices=CHANNELS)
    recipient = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    # The address used (email or phone), kept so a retry goes where the first attempt went.
    address = models.CharField(max_length=254, blank=True)
    kind = models.CharField(max_length=40)
    # What this message is about, e.g. ("appointment", 42) or ("schedule", 7).
    ref_type = models.CharField(max_length=40, blank=True)
    ref_id = models.CharField(max_length=60, blank=True)
    subject = EncryptedTextField(blank=True, default="")
    body = EncryptedTextField(blank=True, default="")
    priority = models.PositiveSmallIntegerField(default=NORMAL)
    due_at = models.DateTimeField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=8)
    last_error = models.CharField(max_length=300, blank=True)
    claimed_by = models.CharField(max_length=80, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["state", "priority", "due_at"], name="delivery_due"),
            models.Index(fields=["state", "lease_expires_at"], name="delivery_lease"),
            models.Index(fields=["ref_type", "ref_id"], name="delivery_ref"),
        ]


class Notification(models.Model):
    """An in-app notification: what the in-app channel delivers."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    delivery = models.OneToOneField(Delivery, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="notification")
    title = EncryptedTextField(blank=True, default="")
    body = EncryptedTextField(blank=True, default="")
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]


class PracticeChannels(models.Model):
    """Which channels a practice has. Email needs the SMTP settings; SMS a provider account."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="channels")
    email_enabled = models.BooleanField(default=True)
    sms_enabled = models.BooleanField(default=False)
    sms_from = models.CharField(max_length=32, blank=True)


class CalendarFeed(models.Model):
    """A private iCalendar feed of one person's appointments, reached by an unguessable URL.

    Only the SHA-256 of the token is kept, so a copy of the database does not open anyone's
    feed; making a new link revokes the old one.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # When a read of the feed was last written to the audit trail (see calendar_feed.py).
    last_audited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"], name="calendar_feed_user")]
