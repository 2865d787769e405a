import hashlib
import json

from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an event of the audit trail."""


class AuditEventQuerySet(models.QuerySet):
    """Events are written one at a time by `service.record` and never changed or removed."""

    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: events cannot be updated.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only: events cannot be deleted.")

    def _raw_delete(self, using):
        raise AppendOnlyError("The audit trail is append-only: events cannot be deleted.")

    def bulk_create(self, objs, *args, **kwargs):
        # A bulk insert would skip the lock on AuditHead and fork the hash chain.
        raise AppendOnlyError("Write audit events with interlude.audit.service.record().")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("The audit trail is append-only: events cannot be updated.")


class AuditHead(models.Model):
    """A single row locked while appending, so concurrent writers cannot fork the hash chain."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
    last_seq = models.BigIntegerField(default=0)


class AuditEvent(models.Model):
    """Who saw or changed what, when and from where. Append-only; each row hashes the last.

    The detail never holds clinical text: identifiers, field names and versions only.

    Append-only is enforced twice: here (save of an existing row, delete, and queryset
    update/delete raise AppendOnlyError) and in the database by triggers from migration 0003
    (UPDATE refused on SQLite and PostgreSQL, DELETE refused on PostgreSQL). A migration that
    alters this table on SQLite rebuilds it and drops the triggers: re-create them in that
    migration (tests/test_audit_append_only.py fails until you do).
    """

    # Assigned under the AuditHead lock, so it has no gaps even when ids do (rolled-back inserts).
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: the hash covers these ids, so people and practices are deactivated, never deleted.
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=254, blank=True)
    practice = models.ForeignKey("accounts.Practice", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=60, db_index=True)
    object_id = models.CharField(max_length=60, blank=True)
    client_id_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        # Django's deletion collector and related managers use the base manager: guard it too.
        base_manager_name = "objects"
        # The admin's page filters one practice's events, newest first.
        indexes = [models.Index(fields=["practice", "-seq"], name="audit_practice_seq")]

    def __str__(self):
        return f"#{self.seq} {self.actor_label} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError("The audit trail is append-only: events cannot be updated.")
        if not self.hash:
            raise AppendOnlyError("Write audit events with interlude.audit.service.record().")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: events cannot be deleted.")

    def canonical(self):
        payload = {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "practice": self.practice_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "client": self.client_id_ref,
            "ip": self.ip_address,
            "detail": self.detail,
            "prev": self.prev_hash,
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)

    def compute_hash(self):
        return hashlib.sha256(self.canonical().encode()).hexdigest()
