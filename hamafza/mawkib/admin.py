"""The Django admin for the mawkib app: a back door for the network's admins, in Persian
with Jalali columns. Everyday work happens on the coordinators' pages, whose services
audit every change; the roster itself is read-only here, so that capacity is never
bypassed."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hamafza.core.admin import ReadOnlyAdmin, ReadOnlyInline, jalali_column
from hamafza.persian.dates import jalali_date

from .models import (
    AgencyQuota,
    Application,
    Assignment,
    Mawkib,
    Season,
    ServiceLog,
    ServiceRole,
    Shift,
    ShiftBatch,
    ShiftDemand,
    ShiftTemplate,
    TemplateDemand,
    WaitlistEntry,
)


def jalali_day(field: str, label: str):
    @admin.display(description=label, ordering=field)
    def column(obj):
        value = getattr(obj, field)
        return jalali_date(value) if value else "—"

    column.__name__ = f"{field}_jalali_day"
    return column


class ServiceRoleInline(ReadOnlyInline):
    model = ServiceRole
    extra = 0


class AgencyQuotaInline(ReadOnlyInline):
    model = AgencyQuota
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Season)
class SeasonAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "hijri_year",
        jalali_column("signup_opens_at", _("آغاز ثبت‌نام")),
        jalali_column("signup_closes_at", _("پایان ثبت‌نام")),
        jalali_column("edit_deadline", _("مهلت ویرایش")),
    )
    readonly_fields = ("copied_from", "created_at")
    inlines = [ServiceRoleInline, AgencyQuotaInline]


class ShiftTemplateInline(ReadOnlyInline):
    model = ShiftTemplate
    extra = 0
    show_change_link = True


@admin.register(Mawkib)
class MawkibAdmin(ReadOnlyAdmin):
    list_display = ("name", "season", "kind", "county", "has_men_section", "has_women_section")
    list_filter = ("season", "kind")
    search_fields = ("name", "site_key")
    filter_horizontal = ("managers",)
    inlines = [ShiftTemplateInline]


class TemplateDemandInline(ReadOnlyInline):
    model = TemplateDemand
    extra = 0


@admin.register(ShiftTemplate)
class ShiftTemplateAdmin(ReadOnlyAdmin):
    list_display = ("mawkib", "name", "starts", "hours")
    list_filter = ("mawkib__season",)
    inlines = [TemplateDemandInline]


@admin.register(ShiftBatch)
class ShiftBatchAdmin(ReadOnlyAdmin):
    list_display = (
        "season",
        jalali_day("first_day", _("از روز")),
        jalali_day("last_day", _("تا روز")),
        "created_by",
        jalali_column("created_at", _("ساخت")),
        jalali_column("undone_at", _("برداشته شد")),
    )
    readonly_fields = ("season", "first_day", "last_day", "created_by", "created_at", "undone_at")

    def has_add_permission(self, request):
        return False  # batches come from shift generation


class ShiftDemandInline(ReadOnlyInline):
    model = ShiftDemand
    extra = 0


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdmin):
    list_display = (
        "mawkib",
        "name",
        jalali_column("starts_at", _("آغاز")),
        jalali_column("ends_at", _("پایان")),
    )
    list_filter = ("mawkib__season", "mawkib")
    inlines = [ShiftDemandInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "tracking_code",
        "season",
        "gender",
        "status",
        "organisation",
        jalali_column("created_at", _("ثبت")),
    )
    list_filter = ("season", "status", "gender")
    search_fields = ("first_name", "last_name", "tracking_code", "national_code")
    readonly_fields = (
        "tracking_code",
        "consent_at",
        "decided_by",
        "decided_at",
        "nominated_by",
        "created_at",
        "updated_at",
    )
    autocomplete_fields = ["organisation"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    """Read-only: places are taken and freed through the roster services only."""

    list_display = (
        "application",
        "shift",
        "status",
        jalali_column("created_at", _("ثبت")),
        jalali_column("checked_in_at", _("ورود")),
        jalali_column("checked_out_at", _("خروج")),
    )
    list_filter = ("status", "shift__mawkib__season", "shift__mawkib")
    search_fields = ("application__last_name", "application__tracking_code")
    list_select_related = ("application", "shift__mawkib")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ("application", "demand", jalali_column("created_at", _("ثبت")))
    list_select_related = ("application", "demand__shift__mawkib", "demand__role")


@admin.register(ServiceLog)
class ServiceLogAdmin(ReadOnlyAdmin):
    list_display = (
        "mawkib",
        jalali_day("day", _("روز")),
        "shift",
        "pilgrims_men",
        "pilgrims_women",
        "meals",
        "tea_water",
        "first_aid_visits",
        "lodging_nights",
        jalali_column("recorded_at", _("ثبت")),
    )
    list_filter = ("mawkib__season", "mawkib")
    readonly_fields = ("recorded_by", "recorded_at")
