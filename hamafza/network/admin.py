from django.contrib import admin

from hamafza.core.admin import jalali_column

from .models import AudienceSnapshot, Channel, County, Membership, Organisation, Province


class CountyInline(admin.TabularInline):
    model = County
    extra = 0


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    inlines = [CountyInline]
    prepopulated_fields = {"slug": ("name",)}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class ChannelInline(admin.TabularInline):
    model = Channel
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "parent",
        "county",
        "is_active",
        jalali_column("created_at", "ایجاد"),
    )
    list_filter = ("kind", "is_active", "county")
    search_fields = ("name", "short_name", "slug")
    inlines = [MembershipInline, ChannelInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "title", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__last_name", "organisation__name")
    autocomplete_fields = ["user", "organisation"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "handle", "title", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("handle", "title", "organisation__name")


@admin.register(AudienceSnapshot)
class AudienceSnapshotAdmin(admin.ModelAdmin):
    list_display = ("channel", "taken_on", "members", "source")
    list_filter = ("source",)
    date_hierarchy = "taken_on"
