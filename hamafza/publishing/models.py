"""Posts and their review, the outbox of deliveries (one row per post × channel ×
operation) and each channel's connection to its platform."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamafza.network.models import Channel, Organisation


class PostKind(models.TextChoices):
    NEWS = "news", _("خبر")
    STATEMENT = "statement", _("بیانیه")
    EVENT = "event", _("رویداد")
    OCCASION = "occasion", _("مناسبت")
    CORRECTION = "correction", _("اصلاحیه")


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("پیش‌نویس")
    IN_REVIEW = "in_review", _("در انتظار بازبینی")
    RETURNED = "returned", _("بازگشت برای اصلاح")
    APPROVED = "approved", _("تأییدشده")  # approved for a time still ahead: scheduled
    SENDING = "sending", _("در حال ارسال")
    SENT = "sent", _("منتشرشده")
    WITHDRAWN = "withdrawn", _("پس‌گرفته")


class Post(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("سازمان"), on_delete=models.PROTECT, related_name="posts"
    )
    kind = models.CharField(
        _("نوع"), max_length=20, choices=PostKind.choices, default=PostKind.NEWS
    )
    title = models.CharField(_("عنوان"), max_length=250)
    lead = models.TextField(_("لید"), blank=True)
    body = models.TextField(_("متن"), help_text=_("HTML پاک‌سازی‌شده"))
    tags = models.JSONField(_("برچسب‌ها"), default=list, blank=True)
    status = models.CharField(
        _("وضعیت"), max_length=12, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    publish_at = models.DateTimeField(
        _("زمان انتشار"), null=True, blank=True, help_text=_("خالی: بی‌درنگ پس از تأیید")
    )
    # Options of the messenger channels whose platform has them (platforms/*.py):
    # no notification sound, and pinned in the channel once it is out.
    silent = models.BooleanField(_("بی‌صدا"), default=False)
    pin = models.BooleanField(_("سنجاق"), default=False)
    correction_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("نظر بازبین"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(
        _("زمان انتشار در سایت"), null=True, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("مطلب")
        verbose_name_plural = _("مطالب")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "-published_at"]),
            models.Index(fields=["status", "publish_at"]),
        ]
        constraints = [
            # A post on the site has a publication time; nothing else does.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(status__in=["sending", "sent", "withdrawn"]),
                name="publishing_published_only_when_out",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PostPhoto(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    # Private storage: the public site reaches it only through core.media's gate, while
    # the post is on the site. Indexed for that gate's lookup by name.
    image = models.ImageField(_("تصویر"), upload_to="posts/%Y/%m/", db_index=True)
    # Set from the stored (resized) file at upload, for <img width height>: no shift.
    width = models.PositiveIntegerField(_("پهنا"), null=True, blank=True)
    height = models.PositiveIntegerField(_("بلندا"), null=True, blank=True)
    alt_text = models.CharField(_("متن جایگزین"), max_length=250)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text


class AttachmentKind(models.TextChoices):
    VIDEO = "video", _("ویدیو")
    DOCUMENT = "document", _("سند")


class PostAttachment(models.Model):
    """The one video or document a post carries beside its photos, as the upload helper
    accepted it (its type read from its bytes). Private storage, like the photos."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="attachment")
    kind = models.CharField(_("نوع پیوست"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("پرونده"), upload_to="posts/files/%Y/%m/", max_length=200)
    name = models.CharField(_("نام پرونده"), max_length=120)  # shown, and sent as its name
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("اندازه"))

    class Meta:
        verbose_name = _("پیوست مطلب")
        verbose_name_plural = _("پیوست‌های مطلب")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["video", "document"]), name="publishing_attachment_kind"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="publishing_attachment_size"),
        ]

    def __str__(self) -> str:
        return self.name


class PostTarget(models.Model):
    """A channel the post goes to, with an optional text of its own for that channel."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="targets")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    variant_text = models.TextField(_("متن ویژه این کانال"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="publishing_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.channel}"


class Operation(models.TextChoices):
    PUBLISH = "publish", _("انتشار")
    EDIT = "edit", _("ویرایش")
    DELETE = "delete", _("حذف")
    CORRECTION = "correction", _("اصلاحیه")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("در صف")
    LEASED = "leased", _("در حال ارسال")
    RETRY = "retry", _("تلاش دوباره")
    SENT = "sent", _("ارسال‌شده")
    FAILED = "failed", _("ناموفق")
    TOO_LATE = "too_late", _("گذشت مهلت حذف یا ویرایش")
    CREDENTIALS = "credentials", _("اتصال خراب")
    UNCONFIRMED = "unconfirmed", _("نامعلوم؛ بررسی کنید")
    CANCELLED = "cancelled", _("لغوشده")


# States a worker may claim (once due); a leased row is claimable again only when its
# lease has expired (the sweeper puts it back).
CLAIMABLE = [DeliveryState.PENDING, DeliveryState.RETRY]
# States that mean the row is still on its way; anything else is settled (for now).
OPEN_STATES = [*CLAIMABLE, DeliveryState.LEASED]
# States in which the message went out, may have, or is going: a withdrawal takes it down.
REACHED_STATES = [DeliveryState.SENT, DeliveryState.LEASED, DeliveryState.UNCONFIRMED]


class Delivery(models.Model):
    """One post to one channel, once: the outbox row. Created in the transaction that
    approves the post; a worker claims it with a lease, sends, and records the outcome.
    A send whose outcome is unknown (a timeout after the request went out) is never
    retried blindly: a person checks it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="deliveries")
    operation = models.CharField(
        max_length=12, choices=Operation.choices, default=Operation.PUBLISH
    )
    state = models.CharField(
        max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    due_at = models.DateTimeField(default=timezone.now)
    # Claimed before every new post that is due: the rest of a post already half out (its
    # text after its photos), a correction, a withdrawal. In a fan-out of hundreds of
    # posts these must not wait behind all of them.
    goes_first = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=64, blank=True)
    # Set (and committed) just before the request goes out. A lease that expires with this
    # set may have posted: the sweeper makes it UNCONFIRMED instead of sending it again.
    sending_started_at = models.DateTimeField(null=True, blank=True)
    remote_id = models.CharField(max_length=200, blank=True)
    # The parts of the post that went out, in order: [{"kind": "album", "ids": [...]},
    # {"kind": "text", "ids": [...]}]. A send cut short keeps what went, and the next
    # attempt sends only the rest; an edit finds the message that holds the text.
    parts = models.JSONField(default=list, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    # What the platform made ready for this post before posting it, kept the moment it
    # exists (Instagram's media container id): the next attempt goes on from it, so a
    # retry after a crash publishes that one and never makes a second post.
    prepared = models.CharField(max_length=200, blank=True)
    last_error = models.TextField(blank=True)
    # A post to pin: when it was pinned, or why the platform refused (the post itself is
    # out all the same, and a retry never sends it again just to pin it).
    pinned_at = models.DateTimeField(null=True, blank=True)
    pin_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ارسال")
        verbose_name_plural = _("ارسال‌ها")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "channel", "operation"], name="publishing_delivery_once"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            # The queue in the order workers claim it (outbox.claim).
            models.Index(
                fields=["-goes_first", "due_at", "id"],
                condition=models.Q(state__in=CLAIMABLE),
                name="publishing_delivery_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.channel} ({self.get_operation_display()})"

    @classmethod
    def fixing(cls, *, post_id: int, channel_id: int, operation: str, due_at) -> Delivery:
        """A row that puts right what went out (an edit, a delete, a correction message):
        it goes ahead of new posts."""
        return cls(
            post_id=post_id,
            channel_id=channel_id,
            operation=operation,
            due_at=due_at,
            goes_first=True,
        )


class ConnectionState(models.TextChoices):
    OK = "ok", _("برقرار")
    BROKEN = "broken", _("خراب")


class ChannelConnection(models.Model):
    """How Hamafza reaches one channel on its platform: the bot token (stored encrypted),
    the chat or channel id there, and for Telegram-shaped APIs the base URL (Telegram,
    Bale, or a test server)."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="connection")
    base_url = models.URLField(_("نشانی API"), blank=True)
    chat_id = models.CharField(_("شناسه کانال در پیام‌رسان"), max_length=120)
    token_encrypted = models.TextField()
    state = models.CharField(
        max_length=10, choices=ConnectionState.choices, default=ConnectionState.OK
    )
    last_error = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("اتصال کانال")
        verbose_name_plural = _("اتصال‌های کانال")

    def __str__(self) -> str:
        return str(self.channel)


class RateGate(models.Model):
    """The next moment a bot or a channel may be sent to, shared by every worker so that
    a burst never trips a platform's limits (and its `retry_after` is honoured by all)."""

    key = models.CharField(max_length=200, primary_key=True)
    next_at = models.DateTimeField(default=timezone.now)
    # For a gate with a window (a channel's messages a minute): the Unix times of the
    # messages still inside it.
    recent = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.key


class PostVisits(models.Model):
    """Visits of a post's page on the site, per hour: counted by the browser's beacon
    after the page showed, so robots that fetch pages without running them do not count."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="visits")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "hour"], name="publishing_visits_per_hour")
        ]
        indexes = [models.Index(fields=["hour"])]

    def __str__(self) -> str:
        return f"{self.post_id} {self.hour}: {self.count}"


class DefaultChannel(models.Model):
    """A channel its organisation's new posts start ticked for: the PR manager's choice,
    so an editor does not tick the same five channels on every post."""

    channel = models.OneToOneField(
        "network.Channel",
        on_delete=models.CASCADE,
        related_name="publishing_default",
        verbose_name=_("کانال"),
    )

    class Meta:
        verbose_name = _("کانال پیش‌فرض")
        verbose_name_plural = _("کانال‌های پیش‌فرض")

    def __str__(self) -> str:
        return str(self.channel_id)
