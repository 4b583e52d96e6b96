"""Posts through review to the outbox. Approval creates every delivery in the same
transaction; workers (outbox.py) do the sending."""

from datetime import datetime

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamafza.core.audit import audit
from hamafza.core.permissions import require
from hamafza.core.validation import validate_fields
from hamafza.network.models import Channel, Organisation

from .models import (
    ChannelConnection,
    Delivery,
    Operation,
    Post,
    PostKind,
    PostStatus,
    PostTarget,
)
from .tokens import encrypt_token

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def sanitize_body(html: str) -> str:
    """Keep the few tags a news text needs; links only to http(s) and mailto."""
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )  # fmt: skip


def _set_targets(post: Post, channels: list[Channel], variants: dict[int, str]) -> None:
    foreign = [c for c in channels if c.organisation_id != post.organisation_id]
    if foreign:
        raise ValidationError({"channels": _("کانال‌های سازمان دیگری را نمی‌توان برگزید.")})
    post.targets.exclude(channel__in=channels).delete()
    for channel in channels:
        PostTarget.objects.update_or_create(
            post=post, channel=channel, defaults={"variant_text": variants.get(channel.pk, "")}
        )


@transaction.atomic
def post_create(
    *,
    actor,
    organisation: Organisation,
    title: str,
    body: str,
    lead: str = "",
    kind: str = PostKind.NEWS,
    tags: list[str] | None = None,
    channels: list[Channel] | None = None,
    variants: dict[int, str] | None = None,
    publish_at: datetime | None = None,
) -> Post:
    require(actor, "post.create", organisation)
    post = Post(
        organisation=organisation, kind=kind, title=title.strip(), lead=lead.strip(), body=sanitize_body(body),
        tags=tags or [], publish_at=publish_at, created_by=actor,
    )  # fmt: skip
    validate_fields(post)
    post.save()
    _set_targets(post, channels or [], variants or {})
    audit(
        actor=actor, action="publishing.post.created", target=post, organisation_id=organisation.pk
    )
    return post


@transaction.atomic
def post_update(
    *,
    actor,
    post: Post,
    channels: list[Channel] | None = None,
    variants: dict[int, str] | None = None,
    **values,
) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    require(actor, "post.edit", post)
    unknown = set(values) - {"title", "lead", "body", "kind", "tags", "publish_at"}
    if unknown:
        raise TypeError(f"post_update got unexpected fields {sorted(unknown)}")
    if "body" in values:
        values["body"] = sanitize_body(values["body"])
    for name, value in values.items():
        setattr(post, name, value)
    post.updated_at = timezone.now()
    validate_fields(post)
    post.save()
    if channels is not None:
        _set_targets(post, channels, variants or {})
    audit(
        actor=actor,
        action="publishing.post.updated",
        target=post,
        organisation_id=post.organisation_id,
    )
    return post


@transaction.atomic
def post_submit(*, actor, post: Post) -> Post:
    """The editor sends the post to the reviewer."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    require(actor, "post.edit", post)
    if not post.targets.exists():
        raise ValidationError({"channels": _("دست‌کم یک کانال برای انتشار برگزینید.")})
    post.status = PostStatus.IN_REVIEW
    post.submitted_at = timezone.now()
    post.save(update_fields=["status", "submitted_at"])
    audit(
        actor=actor,
        action="publishing.post.submitted",
        target=post,
        organisation_id=post.organisation_id,
    )
    return post


@transaction.atomic
def post_return(*, actor, post: Post, comment: str) -> Post:
    """The reviewer sends the post back with what to fix."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    require(actor, "post.review", post)
    if post.status != PostStatus.IN_REVIEW:
        raise ValidationError(_("این مطلب در انتظار بازبینی نیست."))
    if not comment.strip():
        raise ValidationError({"comment": _("بنویسید چه چیزی باید اصلاح شود.")})
    post.status, post.review_comment, post.reviewed_by = PostStatus.RETURNED, comment.strip(), actor
    post.save(update_fields=["status", "review_comment", "reviewed_by"])
    audit(
        actor=actor,
        action="publishing.post.returned",
        target=post,
        organisation_id=post.organisation_id,
    )
    return post


@transaction.atomic
def post_approve(*, actor, post: Post) -> Post:
    """Approve: one delivery per target channel, created in this transaction, due at the
    publish time (or now). The outbox never loses or doubles them: the unique
    (post, channel, operation) row is the only way a send can happen."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    require(actor, "post.review", post)
    if post.status != PostStatus.IN_REVIEW:
        raise ValidationError(_("این مطلب در انتظار بازبینی نیست."))
    now = timezone.now()
    due = max(post.publish_at or now, now)
    post.status, post.reviewed_by, post.approved_at = PostStatus.APPROVED, actor, now
    post.save(update_fields=["status", "reviewed_by", "approved_at"])
    Delivery.objects.bulk_create(
        [
            Delivery(post=post, channel=t.channel, operation=Operation.PUBLISH, due_at=due)
            for t in post.targets.select_related("channel")
        ],
        ignore_conflicts=True,  # approving twice cannot make a second delivery
    )
    audit(actor=actor, action="publishing.post.approved", target=post, organisation_id=post.organisation_id,
          data={"due_at": due.isoformat()})  # fmt: skip
    return post


@transaction.atomic
def channel_connect(
    *, actor, channel: Channel, token: str, chat_id: str, base_url: str = ""
) -> ChannelConnection:
    """Connect (or reconnect) an organisation's own bot to its channel; the token is
    stored encrypted and never shown again."""
    require(actor, "channel.connect", channel)
    if not token.strip() or not chat_id.strip():
        raise ValidationError(_("توکن ربات و شناسه کانال هر دو لازم است."))
    connection, _created = ChannelConnection.objects.update_or_create(
        channel=channel,
        defaults={
            "token_encrypted": encrypt_token(token.strip()), "chat_id": chat_id.strip(),
            "base_url": base_url.strip(), "state": "ok", "last_error": "", "updated_at": timezone.now(),
        },
    )  # fmt: skip
    validate_fields(connection)
    audit(
        actor=actor,
        action="publishing.channel.connected",
        target=channel,
        organisation_id=channel.organisation_id,
    )
    return connection
