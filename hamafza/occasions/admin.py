from django.contrib import admin

from hamafza.core.admin import ReadOnlyAdmin

from .models import LunarMonthOverride


@admin.register(LunarMonthOverride)
class LunarMonthOverrideAdmin(ReadOnlyAdmin):
    """Corrections are made on the calendar page, which checks the month lengths."""

    list_display = ("__str__", "note", "created_by")
