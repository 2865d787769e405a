import hashlib
import json

from django.db import models
from django.utils import timezone


class AuditHead(models.Model):
    """A single row locked while appending, so concurrent writers cannot fork the hash chain."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
    last_seq = models.BigIntegerField(default=0)


class AuditEvent(models.Model):
    """Who saw or changed what, when and from where. Append-only; each row hashes the last.

    The detail never holds clinical text: identifiers, field names and versions only.
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

    class Meta:
        ordering = ["-id"]

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
