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


class User(AbstractUser):
    """A person who logs in. Names are Persian; the mobile is stored canonical (09…)."""

    mobile = models.CharField(_("تلفن همراه"), max_length=11, blank=True)
    preferred_language = models.CharField(
        _("زبان"), max_length=5, choices=settings.LANGUAGES, default="fa"
    )

    class Meta:
        verbose_name = _("کاربر")
        verbose_name_plural = _("کاربران")
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
