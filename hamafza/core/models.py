"""The shared kernel's data: people who log in, the audit log and API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .collation import PERSON_ORDER


class User(AbstractUser):
    """A person who logs in. Names are Persian; the mobile is stored canonical (09…)."""

    mobile = models.CharField(_("تلفن همراه"), max_length=11, blank=True)
    preferred_language = models.CharField(
        _("زبان"), max_length=5, choices=settings.LANGUAGES, default="fa"
    )
    #: Set when someone else chose the password (a new account, a reset by an admin):
    #: the person must choose their own before doing anything else.
    must_change_password = models.BooleanField(_("باید گذرواژه را عوض کند"), default=False)
    #: A login `hamafza demo` made: kept easy to try (never forced to two-factor).
    is_demo_account = models.BooleanField(_("حساب نمایشی"), default=False)

    class Meta:
        verbose_name = _("کاربر")
        verbose_name_plural = _("کاربران")
        ordering = PERSON_ORDER
        constraints = [
            models.UniqueConstraint(
                fields=["mobile"], condition=~Q(mobile=""), name="core_user_mobile_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditEntry(models.Model):
    """Who did what (a dotted action code) to which object, when. Written in the same
    transaction as the change it records, so the log never claims what did not happen."""

    created_at = models.DateTimeField(_("زمان"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("کنش"), max_length=100, db_index=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("موضوع"), max_length=200, blank=True)
    # The organisation the change belongs to, so an agency's own log can be filtered
    # without core knowing what an organisation is.
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    data = models.JSONField(_("جزئیات"), default=dict, blank=True)

    class Meta:
        verbose_name = _("رویداد ممیزی")
        verbose_name_plural = _("گزارش ممیزی")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_repr}"

    @property
    def action_label(self) -> str:
        from .audit import action_label  # the registry lives beside the writer

        return action_label(self.action)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def find(self, raw: str) -> "ApiToken | None":
        return (
            self.filter(key_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True)
            .select_related("user")
            .first()
        )


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its hash is stored: a leaked database does not
    leak working tokens."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("نام"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("توکن API")
        verbose_name_plural = _("توکن‌های API")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["ApiToken", str]:
        """Create a token; the raw key is returned once and never stored."""
        raw = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=_hash_token(raw)), raw


class SmsNoticeState(models.TextChoices):
    PENDING = "pending", _("در صف")
    SENDING = "sending", _("در حال ارسال")
    SENT = "sent", _("فرستاده شد")
    FAILED = "failed", _("ناموفق")
    UNCONFIRMED = "unconfirmed", _("نامعلوم")
    DROPPED = "dropped", _("بی‌گیرنده")


class SmsNotice(models.Model):
    """One SMS notice, from the moment it is queued until it is sent or given up. It holds
    what to render (a kind and ids, `core.sms.notices`), never the text: a notice's text
    may carry a tracking code, so it is rendered only when the worker sends it. The state
    is the guard that sends it once: a worker claims it with a conditional update."""

    kind = models.CharField(_("نوع"), max_length=80)
    params = models.JSONField(_("شناسه‌ها"), default=dict, blank=True)
    state = models.CharField(
        _("وضعیت"), max_length=12, choices=SmsNoticeState.choices, default=SmsNoticeState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("تلاش‌ها"), default=0)
    created_at = models.DateTimeField(_("زمان ثبت"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("آخرین تغییر"), default=timezone.now)
    sent_at = models.DateTimeField(_("زمان ارسال"), null=True, blank=True)
    gateway_id = models.CharField(_("شناسه درگاه"), max_length=64, blank=True)
    #: The gateway's status and what it means; never the text, a number or a key.
    error = models.CharField(_("خطا"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("پیامک اطلاع‌رسانی")
        verbose_name_plural = _("پیامک‌های اطلاع‌رسانی")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=SmsNoticeState.values), name="core_smsnotice_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class SmsAccountAlertKind(models.TextChoices):
    CREDENTIALS = "credentials", _("کلید یا تنظیمات حساب پیامک")
    TEMPLATE = "template", _("الگوهای رمز یک‌بار مصرف")
    NO_CREDIT = "no_credit", _("اعتبار حساب پیامک")


class SmsAccountAlert(models.Model):
    """The SMS account stopped taking messages (a bad key, an address not allowed, no
    credit). One open alert per kind, held by the database; it closes when the gateway
    next accepts a message."""

    kind = models.CharField(_("نوع"), max_length=12, choices=SmsAccountAlertKind.choices)
    status = models.PositiveIntegerField(_("کد پاسخ درگاه"), default=0)
    detail = models.CharField(_("پاسخ درگاه"), max_length=300, blank=True)
    opened_at = models.DateTimeField(_("از"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("آخرین بار"), default=timezone.now)
    closed_at = models.DateTimeField(_("برطرف شد"), null=True, blank=True)

    class Meta:
        verbose_name = _("هشدار حساب پیامک")
        verbose_name_plural = _("هشدارهای حساب پیامک")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(closed_at__isnull=True),
                name="core_smsaccountalert_one_open_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class RateCounter(models.Model):
    """One window of one shared counter (`core.ratelimit`), when Redis is not used."""

    key = models.CharField(max_length=250, unique=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"


class WorkerHeartbeat(models.Model):
    """The last sign of life of one worker process (`core.workers`), written by a thread of
    its own so a worker asleep on a rate gate or busy with one long task still counts."""

    worker_id = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=30)
    host = models.CharField(max_length=100)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kind", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.worker_id}"
