from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, and events are written by the audit service."""

    list_display = ["seq", "at", "actor_label", "practice", "action", "object_type", "object_id",
                    "client_id_ref", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_id"]
    list_select_related = ["practice"]
    ordering = ["-seq"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
