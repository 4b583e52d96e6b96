from django.contrib import admin

from .models import LunarMonthOverride


@admin.register(LunarMonthOverride)
class LunarMonthOverrideAdmin(admin.ModelAdmin):
    list_display = ("hijri_year", "month", "first_day", "note", "created_by")
    readonly_fields = ("created_by", "created_at")

    def has_add_permission(self, request):
        return False  # through the calendar page, which checks the month lengths

    def has_change_permission(self, request, obj=None):
        return False
