from datetime import datetime

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.db import models

from hamafza.persian.dates import jalali_date, jalali_datetime

from .forms import JalaliDateField, JalaliDateInput, JalaliDateTimeField, JalaliDateTimeWidget
from .models import ApiToken, AuditEntry, SmsAccountAlert, SmsNotice, User

# Dates in the back office are Jalali too, in lists and in forms.
JALALI_FORM_FIELDS = {
    models.DateField: {"form_class": JalaliDateField, "widget": JalaliDateInput},
    models.DateTimeField: {"form_class": JalaliDateTimeField, "widget": JalaliDateTimeWidget},
}


class JalaliAdmin(admin.ModelAdmin):
    formfield_overrides = JALALI_FORM_FIELDS


class ReadOnlyAdmin(JalaliAdmin):
    """For data that changes only through the app's pages, whose services check the rules
    and write the audit log: the back office may look, not edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown beside their parent in the back office, changed only in the app."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def jalali_column(field: str, label: str):
    """An admin column showing a date or datetime field in Jalali, sortable by the field."""

    @admin.display(description=label, ordering=field)
    def column(obj):
        value = getattr(obj, field)
        if not value:
            return "—"
        return jalali_datetime(value) if isinstance(value, datetime) else jalali_date(value)

    column.__name__ = f"{field}_jalali"
    return column


class AdminSetPasswordForm(AdminPasswordChangeForm):
    """A password set for someone in the back office is theirs to replace at first login."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit=commit)


class AdminAddUserForm(AdminUserCreationForm):
    """A person added in the back office with a password chooses their own at first login."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)

    def save(self, commit=True):
        self.instance.must_change_password = True
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    formfield_overrides = JALALI_FORM_FIELDS
    change_password_form = AdminSetPasswordForm
    add_form = AdminAddUserForm
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
class AuditEntryAdmin(JalaliAdmin):
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
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "user",
        jalali_column("created_at", "ساخت"),
        jalali_column("last_used_at", "آخرین استفاده"),
    )
    readonly_fields = ("key_hash", "created_at", "last_used_at")


@admin.register(SmsNotice)
class SmsNoticeAdmin(ReadOnlyAdmin):
    """What SMS notices did: an unconfirmed one is for a person to look at (it may have
    gone). The text is not here: it is rendered only when sent."""

    list_display = (
        jalali_column("created_at", "زمان ثبت"),
        "kind",
        "state",
        "attempts",
        jalali_column("sent_at", "زمان ارسال"),
        "error",
    )
    list_filter = ("state", "kind")


@admin.register(SmsAccountAlert)
class SmsAccountAlertAdmin(ReadOnlyAdmin):
    list_display = (
        "kind",
        "status",
        jalali_column("opened_at", "از"),
        jalali_column("last_seen_at", "آخرین بار"),
        jalali_column("closed_at", "برطرف شد"),
    )
