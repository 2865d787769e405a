from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Client, Clinician, Invitation, License, Practice, User


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "country", "time_zone")
    search_fields = ("name", "slug")


class UserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "practice", "role")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserAddForm
    form = UserEditForm
    ordering = ("email",)
    list_display = ("email", "full_name", "practice", "role", "is_practice_admin", "is_active")
    list_filter = ("role", "is_practice_admin", "is_active", "practice")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "practice", "role", "is_practice_admin",
                                  "preferred_language")}),
        (_("Django admin site"), {"fields": ("is_active", "is_staff", "is_superuser",
                                             "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("email", "full_name", "practice", "role", "usable_password",
                           "password1", "password2")}),
    )


class LicenseInline(admin.TabularInline):
    model = License
    extra = 0


@admin.register(Clinician)
class ClinicianAdmin(admin.ModelAdmin):
    list_display = ("display_name", "practice", "modality", "time_zone", "on_call_eligible")
    list_filter = ("practice", "modality", "on_call_eligible")
    search_fields = ("display_name", "user__email")
    raw_id_fields = ("user",)
    inlines = [LicenseInline]


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("display_name", "practice", "clinician", "country", "region", "is_active")
    list_filter = ("practice", "is_active", "country")
    search_fields = ("display_name", "user__email")
    raw_id_fields = ("user", "clinician")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    # Only the hash is stored; the admin can see and expire links, never use them.
    list_display = ("user", "created_by", "created_at", "expires_at", "used_at")
    readonly_fields = ("user", "token_hash", "created_by", "created_at", "used_at")
    search_fields = ("user__email",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "token_hash", "created_at", "last_used_at")
    search_fields = ("user__email", "name")
