"""The Django admin site, for operators. Practices use the staff pages.

Agreements and signatures are shown read-only and without their notes: versions are never
edited once offered, and the notes are clinical text whose reading belongs on the audited pages.
"""

from django.contrib import admin

from .models import (
    AgreementSignature,
    ConnectionAgreement,
    OfficeHours,
    PracticeDefaults,
    PracticeHours,
    TimeOff,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConnectionAgreement)
class ConnectionAgreementAdmin(ReadOnlyAdmin):
    list_display = ["client", "version", "clinician", "preset", "created_at", "crisis_route"]
    list_filter = ["preset", "crisis_route"]
    list_select_related = ["client", "clinician"]
    exclude = ["notes"]
    ordering = ["client", "-version"]


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "version", "signed_by", "signed_at", "ip_address"]
    list_select_related = ["agreement__client", "signed_by"]


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = ["clinician", "weekday", "start", "end"]
    list_filter = ["weekday"]
    list_select_related = ["clinician"]


@admin.register(PracticeHours)
class PracticeHoursAdmin(admin.ModelAdmin):
    list_display = ["practice", "weekday", "start", "end"]
    list_select_related = ["practice"]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["clinician", "kind", "starts_at", "ends_at", "label"]
    list_filter = ["kind"]
    list_select_related = ["clinician"]


@admin.register(PracticeDefaults)
class PracticeDefaultsAdmin(admin.ModelAdmin):
    list_display = ["practice", "inbox_response_business_days", "checkin_weekly_cap",
                    "checkin_minutes", "crisis_route"]
    list_select_related = ["practice"]
