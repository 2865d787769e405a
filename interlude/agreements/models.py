from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interlude.accounts.models import Client, Clinician, Practice, User
from interlude.core.crypto import EncryptedTextField

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
            (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))]


class OfficeHours(models.Model):
    """A weekly window, in the clinician's own time zone, in which they read and reply."""

    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="office_hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name_plural = "office hours"
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")),
                                              name="office_hours_end_after_start")]


class PracticeHours(models.Model):
    """Practice-wide default office hours, copied to a clinician who has none of their own."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="default_hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")),
                                              name="practice_hours_end_after_start")]


class TimeOff(models.Model):
    class Kind(models.TextChoices):
        VACATION = "vacation", _("Vacation")
        UNPLUGGED = "unplugged", _("Unplugged day")
        SICK = "sick", _("Sick leave")
        OTHER = "other", _("Other")

    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.VACATION)
    label = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="time_off_ends_after_start")]


class PracticeDefaults(models.Model):
    """What a new agreement in this practice starts from, before a modality preset."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="defaults")
    inbox_promise = models.CharField(max_length=300, default=_(
        "I read messages within 1 business day and reply when a reply is needed."))
    inbox_response_business_days = models.PositiveSmallIntegerField(default=1)
    checkin_weekly_cap = models.PositiveSmallIntegerField(default=1)
    checkin_minutes = models.PositiveSmallIntegerField(default=10)
    crisis_route = models.CharField(max_length=16, default="resources")


class ConnectionAgreement(models.Model):
    """One version of the written contact norms between a clinician and a client.

    Versions are never edited once offered: a change is a new row with the next version number,
    and channels stay closed until the client signs the current version.
    """

    class Preset(models.TextChoices):
        DBT = "dbt", _("DBT")
        CBT = "cbt", _("CBT")
        PSYCHODYNAMIC = "psychodynamic", _("Psychodynamic")
        GENERAL = "general", _("General")

    class CrisisRoute(models.TextChoices):
        RESOURCES = "resources", _("Crisis resources only")
        CLINICIAN = "clinician", _("The clinician, in set crisis hours")
        ON_CALL = "on_call", _("The practice's on-call rota")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="agreements")
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="agreements")
    version = models.PositiveIntegerField()
    preset = models.CharField(max_length=20, choices=Preset.choices, default=Preset.GENERAL)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    self_help_open = models.BooleanField(default=True)
    automated_open = models.BooleanField(default=True)
    inbox_open = models.BooleanField(default=False)
    inbox_promise = models.CharField(max_length=300, blank=True)
    inbox_response_business_days = models.PositiveSmallIntegerField(null=True, blank=True)
    inbox_may_not_reply = models.BooleanField(default=False)
    checkins_open = models.BooleanField(default=False)
    checkin_weekly_cap = models.PositiveSmallIntegerField(default=0)
    checkin_minutes = models.PositiveSmallIntegerField(default=10)
    crisis_route = models.CharField(max_length=16, choices=CrisisRoute.choices,
                                    default=CrisisRoute.RESOURCES)
    # [[weekday, "HH:MM", "HH:MM"], ...] in the clinician's zone; used when the route is CLINICIAN.
    crisis_hours = models.JSONField(default=list, blank=True)
    coaching_calls = models.BooleanField(default=False)
    coaching_call_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    twenty_four_hour_rule = models.BooleanField(default=False)
    notes = EncryptedTextField(blank=True, default="")
    jurisdiction_acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["client", "-version"]
        constraints = [models.UniqueConstraint(fields=["client", "version"],
                                               name="unique_agreement_version")]

    def __str__(self):
        return f"Agreement v{self.version} for {self.client}"


class AgreementSignature(models.Model):
    agreement = models.OneToOneField(ConnectionAgreement, on_delete=models.PROTECT,
                                     related_name="signature")
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
