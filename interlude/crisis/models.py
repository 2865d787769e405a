from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interlude.accounts.models import Client, User
from interlude.core.crypto import EncryptedTextField

# The six Stanley-Brown steps in their published order, then reasons for living.
STEPS = (
    ("warning_signs", _("Warning signs")),
    ("coping_strategies", _("Things I can do on my own to take my mind off my problems")),
    ("distraction_contacts", _("People and places that help me take my mind off things")),
    ("help_contacts", _("People I can ask for help")),
    ("professional_contacts", _("Professionals or agencies I can contact in a crisis")),
    ("environment_safety", _("Making my surroundings safe")),
    ("reasons_for_living", _("My reasons for living")),
)
STEP_NAMES = tuple(name for name, _label in STEPS)


class SafetyPlan(models.Model):
    """One version of a client's safety plan, written together by the client and clinician.

    Versions are never edited: a change is a new row with the next version number, and the
    newest row is the current plan. Every step is encrypted at rest.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="safety_plans")
    version = models.PositiveIntegerField()
    warning_signs = EncryptedTextField(blank=True, default="")
    coping_strategies = EncryptedTextField(blank=True, default="")
    distraction_contacts = EncryptedTextField(blank=True, default="")
    help_contacts = EncryptedTextField(blank=True, default="")
    professional_contacts = EncryptedTextField(blank=True, default="")
    environment_safety = EncryptedTextField(blank=True, default="")
    reasons_for_living = EncryptedTextField(blank=True, default="")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["client", "-version"]
        constraints = [models.UniqueConstraint(fields=["client", "version"],
                                               name="unique_safety_plan_version")]

    def __str__(self):
        return f"Safety plan v{self.version} for {self.client}"

    def steps(self):
        """[(name, label, text), ...] in the plan's order."""
        return [(name, label, getattr(self, name)) for name, label in STEPS]

    def numbered_steps(self):
        """The six Stanley-Brown steps, without reasons for living."""
        return self.steps()[:6]


class OnCallShift(models.Model):
    """A stretch of time in which a clinician answers the practice's crisis alerts.

    Shifts may overlap: at any instant the rota is every covering shift in `position` order
    (1 = first called), and an unacknowledged alert moves down that order.
    """

    practice = models.ForeignKey("accounts.Practice", on_delete=models.CASCADE,
                                 related_name="on_call_shifts")
    clinician = models.ForeignKey("accounts.Clinician", on_delete=models.CASCADE,
                                  related_name="on_call_shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    position = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "position"]
        indexes = [models.Index(fields=["practice", "starts_at", "ends_at"],
                                name="on_call_covering")]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="on_call_ends_after_start")]


class UrgentAlert(models.Model):
    """An urgent client message on its way to whoever the agreement names.

    `route` is what the agreement asked for; `state` says where the alert is now. Every step
    (raised, sent to someone, escalated, acknowledged) is in the audit trail.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for acknowledgement")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        UNROUTED = "unrouted", _("Nobody on duty")

    practice = models.ForeignKey("accounts.Practice", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="urgent_alerts")
    message = models.OneToOneField("inbox.Message", on_delete=models.CASCADE,
                                   related_name="urgent_alert")
    route = models.CharField(max_length=16)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    # When the current recipient's time to acknowledge runs out.
    escalate_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "escalate_at"], name="alert_escalation_due")]


class AlertNotice(models.Model):
    """One person an alert was sent to, in order: step 0 is the first recipient."""

    alert = models.ForeignKey(UrgentAlert, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    step = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["alert", "step"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "step"], name="one_notice_per_step"),
            models.UniqueConstraint(fields=["alert", "recipient"],
                                    name="one_notice_per_recipient"),
        ]
