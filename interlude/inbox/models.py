from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interlude.accounts.models import Client, Clinician, Practice, User
from interlude.core.crypto import EncryptedTextField

MAX_MESSAGE_LENGTH = 2000


class Thread(models.Model):
    """The one conversation between a client and their clinician."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="threads")
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="threads")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "clinician"],
                                               name="one_thread_per_client_and_clinician")]

    def __str__(self):
        return f"Thread {self.pk}"


class Message(models.Model):
    """One message in a thread.

    A client's message sent outside the clinician's office hours is held: `held_until` is the
    instant the next window opens and `released_at` stays empty until the dispatcher releases
    it. Only released messages count as unread or notify anyone. Urgent messages are never held.
    """

    class Sender(models.TextChoices):
        CLIENT = "client", _("Client")
        CLINICIAN = "clinician", _("Clinician")
        SYSTEM = "system", _("Automatic reply")

    class Level(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        ELEVATED = "elevated", _("Elevated")
        URGENT = "urgent", _("Urgent")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=12, choices=Sender.choices)
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    # Triage of a client's message; the reasons quote the message, so they are encrypted too.
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.ROUTINE)
    triage_reasons = EncryptedTextField(blank=True, default="")
    lang = models.CharField(max_length=8, blank=True)
    held_until = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when an urgent message found nobody on duty: it stays at the top of the inbox.
    pinned_at = models.DateTimeField(null=True, blank=True)
    unpinned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "created_at"], name="message_thread_time"),
            models.Index(fields=["released_at", "held_until"], name="message_held"),
        ]

    def __str__(self):
        return f"Message {self.pk}"

    @property
    def is_held(self):
        return self.released_at is None and self.sender == self.Sender.CLIENT

    @property
    def is_pinned(self):
        return self.pinned_at is not None and self.unpinned_at is None


class AgendaItem(models.Model):
    """A message the clinician kept for the next session, on that appointment's agenda.

    `appointment` is empty while the client has no upcoming appointment; the next one made
    picks it up.
    """

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="agenda_item")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="agenda_items")
    appointment = models.ForeignKey("outreach.Appointment", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="agenda_items")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    discussed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
