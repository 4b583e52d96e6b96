"""The back office may look at posts and deliveries; changes go through the pages, whose
services check the rules and write the audit log. Tokens are never shown."""

from django.contrib import admin

from hamafza.core.admin import ReadOnlyAdmin, jalali_column

from .models import ChannelConnection, Delivery, Post, PostPhoto, PostTarget, RateGate


class PhotoInline(admin.TabularInline):
    model = PostPhoto
    extra = 0
    fields = ["image", "alt_text", "position"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TargetInline(PhotoInline):
    model = PostTarget
    fields = ["channel", "variant_text"]
    readonly_fields = fields


class DeliveryInline(PhotoInline):
    model = Delivery
    fields = ["channel", "operation", "state", "attempts", "due_at", "remote_url", "last_error"]
    readonly_fields = fields


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "organisation",
        "kind",
        "status",
        jalali_column("updated_at", "به‌روزرسانی"),
    )
    list_filter = ("status", "kind")
    search_fields = ("title", "lead")
    list_select_related = ("organisation",)
    inlines = [TargetInline, PhotoInline, DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "post",
        "channel",
        "operation",
        "state",
        "attempts",
        jalali_column("due_at", "سررسید"),
    )
    list_filter = ("state", "operation", "channel__kind")
    list_select_related = ("post", "channel")
    search_fields = ("post__title", "remote_id")


@admin.register(ChannelConnection)
class ChannelConnectionAdmin(ReadOnlyAdmin):
    list_display = ("channel", "chat_id", "state", jalali_column("updated_at", "به‌روزرسانی"))
    list_filter = ("state",)
    exclude = ("token_encrypted",)
    list_select_related = ("channel__organisation",)


@admin.register(RateGate)
class RateGateAdmin(ReadOnlyAdmin):
    list_display = ("key", jalali_column("next_at", "زمان بعدی"))
