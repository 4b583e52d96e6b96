from django.contrib import admin

from hamafza.core.admin import JalaliAdmin, ReadOnlyAdmin, ReadOnlyInline, jalali_column

from .models import AudienceSnapshot, Channel, County, Membership, Organisation, Province


class CountyInline(admin.TabularInline):
    model = County
    extra = 0


@admin.register(Province)
class ProvinceAdmin(JalaliAdmin):
    inlines = [CountyInline]
    prepopulated_fields = {"slug": ("name",)}


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["user", "role", "title", "is_active", "created_at"]


class ChannelInline(ReadOnlyInline):
    model = Channel
    fields = ["kind", "handle", "title", "url", "is_active", "created_at"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
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
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "role", "title", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__last_name", "organisation__name")


@admin.register(Channel)
class ChannelAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "kind", "handle", "title", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("handle", "title", "organisation__name")


@admin.register(AudienceSnapshot)
class AudienceSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("channel", jalali_column("taken_on", "تاریخ"), "members", "source")
    list_filter = ("source",)
