import hashlib
import secrets
from datetime import time, timedelta
from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TIME_ZONE_CHOICES = sorted((tz, tz) for tz in available_timezones() if "/" in tz)
CHANNEL_CHOICES = [("in_app", _("In the app")), ("email", _("Email")), ("sms", _("Text message"))]


class Practice(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(max_length=64, default="America/New_York",
                                 choices=TIME_ZONE_CHOICES)
    country = models.CharField(max_length=2, default="US")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One login. What it may do comes from its role in its practice."""

    class Role(models.TextChoices):
        CLINICIAN = "clinician", _("Clinician")
        CLIENT = "client", _("Client")
        ADMIN = "admin", _("Practice admin")

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    practice = models.ForeignKey(Practice, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="users")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CLIENT)
    # A clinician can also administer the practice (small practices are run by a clinician).
    is_practice_admin = models.BooleanField(default=False)
    preferred_language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)  # Django admin site only
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    @property
    def is_clinician(self):
        return self.role == self.Role.CLINICIAN

    @property
    def is_client(self):
        return self.role == self.Role.CLIENT

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN or self.is_practice_admin

    @property
    def is_practice_staff(self):
        """Staff must log in with a second factor."""
        return self.role in (self.Role.CLINICIAN, self.Role.ADMIN) or self.is_practice_admin


class Clinician(models.Model):
    class Modality(models.TextChoices):
        DBT = "dbt", _("Dialectical behaviour therapy (DBT)")
        CBT = "cbt", _("Cognitive behavioural therapy (CBT)")
        PSYCHODYNAMIC = "psychodynamic", _("Psychodynamic")
        GENERAL = "general", _("General / integrative")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="clinician")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="clinicians")
    display_name = models.CharField(max_length=200,
                                    help_text=_("As clients see it, e.g. Dr. Rivera"))
    pronoun = models.CharField(max_length=10, default="they",
                               choices=[("she", "she"), ("he", "he"), ("they", "they")])
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES)
    modality = models.CharField(max_length=20, choices=Modality.choices, default=Modality.GENERAL)
    on_call_eligible = models.BooleanField(
        default=False, help_text=_("May take shifts on the practice's on-call rota"))
    # E.164, e.g. +12125550100; urgent alerts are texted here when the practice has SMS.
    alert_phone = models.CharField(
        max_length=32, blank=True,
        help_text=_("Used only for urgent alert texts; never shown to clients."))

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name


class License(models.Model):
    """A jurisdiction a clinician is licensed to practise in (telehealth follows the client)."""

    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="licenses")
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=10, blank=True,
                              help_text=_("State or province code; blank covers the whole country"))
    number = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinician", "country", "region"],
                                               name="unique_license_per_jurisdiction")]

    def covers(self, country, region):
        return self.country == country and (not self.region or self.region == region)


class Client(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="client")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="clients")
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="clients")
    display_name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES)
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    preferred_channels = models.JSONField(default=list, blank=True)
    # Nothing that is not urgent reaches the client between these local times.
    quiet_start = models.TimeField(default=time(21, 0))
    quiet_end = models.TimeField(default=time(8, 0))
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["display_name"]
        indexes = [models.Index(fields=["clinician", "display_name"])]

    def __str__(self):
        return self.display_name

    @property
    def jurisdiction(self):
        return f"{self.country}-{self.region}" if self.region else self.country


def _hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def find_valid(self, token):
        return self.filter(token_hash=_hash_token(token), used_at__isnull=True,
                           expires_at__gt=timezone.now()).select_related("user").first()


class Invitation(models.Model):
    """A one-time link that lets an invited person set their password. Only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    @classmethod
    def issue(cls, user, created_by=None):
        token = secrets.token_urlsafe(32)
        hours = settings.INVITATION_VALID_HOURS
        invitation = cls.objects.create(user=user, token_hash=_hash_token(token),
                                        created_by=created_by,
                                        expires_at=timezone.now() + timedelta(hours=hours))
        return invitation, token


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its hash is kept; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(cls, user, name):
        token = "itl_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, token_hash=_hash_token(token)), token

    @classmethod
    def find_user(cls, token):
        row = cls.objects.filter(token_hash=_hash_token(token), revoked_at__isnull=True,
                                 user__is_active=True).select_related("user").first()
        return row.user if row else None
