from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from hamafza.persian.dates import jalali_datetime

from .models import ApiToken, AuditEntry, User


def jalali_column(field: str, label: str):
    """An admin column showing a datetime field in Jalali, sortable by the field."""

    @admin.display(description=label, ordering=field)
    def column(obj):
        value = getattr(obj, field)
        return jalali_datetime(value) if value else "—"

    column.__name__ = f"{field}_jalali"
    return column


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("هم‌افزا", {"fields": ("mobile", "preferred_language")}))
    list_display = (
        "username",
        "first_name",
        "last_name",
        "mobile",
        "is_active",
        jalali_column("date_joined", "عضویت"),
    )
    search_fields = ("username", "first_name", "last_name", "mobile", "email")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = (jalali_column("created_at", "زمان"), "actor", "action", "target_repr")
    list_filter = ("action",)
    search_fields = ("action", "target_repr", "actor__username")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the audit log is append-only


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        jalali_column("created_at", "ساخت"),
        jalali_column("last_used_at", "آخرین استفاده"),
    )
    readonly_fields = ("key_hash", "created_at", "last_used_at")
