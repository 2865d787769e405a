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
