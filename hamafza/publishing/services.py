"""Posts through review to the outbox. Approval creates every delivery in the same
transaction; workers (outbox.py) do the sending."""

from datetime import datetime
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hamafza.core.audit import audit, changed_fields
from hamafza.core.permissions import require
from hamafza.core.uploads import POST_ATTACHMENT, POST_PHOTO, file_accept, image_accept
from hamafza.core.validation import StateConflict, validate_fields
from hamafza.network.models import Channel, Organisation
from hamafza.persian.digits import format_number

from . import limits, states
from .history import post_version
from .models import (
    REACHED_STATES,
    ChannelConnection,
    ConnectionState,
    DefaultChannel,
    Delivery,
    DeliveryState,
    Operation,
    Post,
    PostAttachment,
    PostKind,
    PostPhoto,
    PostStatus,
    PostTarget,
)
from .outbox import _settle_post
from .platforms.registry import IN_PROCESS_KINDS, build_adapter, can_delete_now, platform_for
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
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


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
    silent: bool = False,
    pin: bool = False,
) -> Post:
    require(actor, "post.create", organisation)
    post = Post(
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        lead=lead.strip(),
        body=sanitize_body(body),
        tags=tags or [],
        publish_at=publish_at,
        silent=silent,
        pin=pin,
        created_by=actor,
    )
    validate_fields(post)
    post.save()
    _set_targets(post, channels or [], variants or {})
    audit(
        actor=actor, action="publishing.post.created", target=post, organisation_id=organisation.pk
    )
    return post


def _to_ms(moment: datetime) -> datetime:
    """To the millisecond: the precision the JSON API shows a time with."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


@transaction.atomic
def post_update(
    *,
    actor,
    post: Post,
    channels: list[Channel] | None = None,
    variants: dict[int, str] | None = None,
    expected_updated_at: datetime | None = None,
    **values,
) -> Post:
    """`expected_updated_at`: the version the caller edited (its `updated_at`); if the
    post changed since, nothing is saved (someone else's edit is not overwritten)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    require(actor, "post.edit", post)
    if expected_updated_at is not None and _to_ms(expected_updated_at) != _to_ms(post.updated_at):
        raise StateConflict(
            _("این مطلب پس از آنکه آن را باز کردید تغییر کرده است؛ نسخه تازه را بخوانید.")
        )
    unknown = set(values) - {"title", "lead", "body", "kind", "tags", "publish_at", "silent", "pin"}
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


def _check_channel_limits(post: Post) -> None:
    """The platforms' limits (limits.py), the same the composer counts against live."""
    targets = list(post.targets.select_related("channel__connection"))
    sizes = list(post.photos.values_list("width", "height"))  # in the order they go
    found = limits.problems(
        channels=[t.channel for t in targets],
        title=post.title,
        lead=post.lead,
        body_text=limits.body_text(post.body),
        variants={t.channel_id: t.variant_text for t in targets},
        photo_count=len(sizes),
        photo_sizes=sizes,
        attachment=getattr(post, "attachment", None),
    )
    serious = [p.message for p in found if p.serious]
    if serious:
        raise ValidationError({"channels": serious})


@transaction.atomic
def post_submit(*, actor, post: Post) -> Post:
    """The editor sends the post to the reviewer."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    require(actor, "post.edit", post)
    if not post.targets.exists():
        raise ValidationError({"channels": _("دست‌کم یک کانال برای انتشار برگزینید.")})
    _check_channel_limits(post)
    states.SUBMITTED.apply(post, submitted_at=timezone.now())
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
        raise StateConflict(_("این مطلب در انتظار بازبینی نیست."))
    if not comment.strip():
        raise ValidationError({"comment": _("بنویسید چه چیزی باید اصلاح شود.")})
    states.RETURNED.apply(post, review_comment=comment.strip(), reviewed_by=actor)
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
        raise StateConflict(_("این مطلب در انتظار بازبینی نیست."))
    now = timezone.now()
    due = max(post.publish_at or now, now)
    states.APPROVED.apply(post, reviewed_by=actor, approved_at=now)
    post.save(update_fields=["status", "reviewed_by", "approved_at"])
    Delivery.objects.bulk_create(
        [
            Delivery(post=post, channel=t.channel, operation=Operation.PUBLISH, due_at=due)
            for t in post.targets.select_related("channel")
        ],
        ignore_conflicts=True,  # approving twice cannot make a second delivery
    )
    audit(
        actor=actor,
        action="publishing.post.approved",
        target=post,
        organisation_id=post.organisation_id,
        data={"due_at": due.isoformat()},
    )
    return post


@transaction.atomic
def post_review_edit(
    *,
    actor,
    post: Post,
    version: str,
    title: str | None = None,
    lead: str | None = None,
    body: str | None = None,
    tags: list[str] | None = None,
) -> Post:
    """A reviewer's small edits to a post waiting for review, made against the version
    they read: refused if the post changed meanwhile, so no one's change is lost. The
    edit goes through the composer's checks (the channels' limits) and into the post's
    history with the text before and after. The post stays in review: approving it is
    a step of its own."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    require(actor, "post.review_edit", post)
    if post.created_by_id is not None and post.created_by_id == actor.pk:
        raise PermissionDenied  # the author's own post: even for those the policy lets by
    if post.status != PostStatus.IN_REVIEW:
        raise ValidationError(_("این مطلب در انتظار بازبینی نیست."))
    if version != post_version(post):
        raise ValidationError(
            _(
                "این مطلب از وقتی آن را باز کردید تغییر کرده است؛ متن تازه را ببینید و"
                " ویرایش خود را دوباره ثبت کنید."
            ),
            code="stale",
        )
    values = {"title": title, "lead": lead, "body": body, "tags": tags}
    values = {k: v for k, v in values.items() if v is not None}
    for name in ("title", "lead"):
        if name in values:
            values[name] = values[name].strip()
    if "body" in values:
        values["body"] = sanitize_body(values["body"])
    before = {name: getattr(post, name) for name in values}
    changed = changed_fields(post, values)
    if not changed:
        raise ValidationError(_("متن تغییری نکرده است."))
    post.updated_at = timezone.now()
    validate_fields(post)
    _check_channel_limits(post)
    post.save(update_fields=[*changed, "updated_at"])
    audit(
        actor=actor,
        action="publishing.post.review_edited",
        target=post,
        organisation_id=post.organisation_id,
        data={
            "fields": changed,
            "before": {name: before[name] for name in changed},
            "after": {name: getattr(post, name) for name in changed},
        },
    )
    return post


def _check_api_address(base_url: str, platform) -> None:
    """The worker sends the bot's token to this address and shows part of the answer:
    only the platform's own host over https (or a host the settings add for every
    platform, such as a proxy; and this machine's test servers where the settings allow
    them), never an arbitrary server of someone's choosing, nor another platform's."""
    if not base_url:
        return  # the platform's default address
    parts = urlsplit(base_url)
    # This machine, or the ".test" names reserved for testing (RFC 2606).
    local = parts.hostname in ("127.0.0.1", "localhost", "::1") or (parts.hostname or "").endswith(
        ".test"
    )
    if local and settings.PUBLISHING_ALLOW_LOCAL_API and parts.scheme in ("http", "https"):
        return
    allowed = {
        urlsplit(platform.default_base_url).hostname,
        *platform.other_hosts,
        *settings.PUBLISHING_API_HOSTS,
    }
    if parts.scheme != "https" or parts.hostname not in allowed:
        hosts = "، ".join(sorted(allowed))
        raise ValidationError(
            {
                "base_url": _("نشانی API باید https و یکی از این‌ها باشد: %(hosts)s")
                % {"hosts": hosts}
            }
        )


CHECK_TIMEOUT = 10.0  # seconds for the platform's answer when a connection is checked


def channel_connect(
    *, actor, channel: Channel, token: str, chat_id: str, base_url: str = ""
) -> ChannelConnection:
    """Connect (or reconnect) an organisation's own bot to its channel, once the platform
    has said that the token works and the bot may post there (outside any transaction:
    it is a call over the network). The token is stored encrypted and never shown again."""
    require(actor, "channel.connect", channel)
    token, chat_id, base_url = token.strip(), chat_id.strip(), base_url.strip()
    if not token or not chat_id:
        raise ValidationError(_("توکن ربات و شناسه کانال هر دو لازم است."))
    platform = platform_for(channel.kind)
    if platform is None:
        raise ValidationError(_("این کانال با ربات پیام‌رسان فرستاده نمی‌شود."))
    _check_api_address(base_url, platform)
    problem = platform.chat_id_problem(chat_id)
    if problem:
        raise ValidationError({"chat_id": problem})
    adapter = build_adapter(
        channel.kind,
        base_url=base_url,
        token=token,
        chat_id=chat_id,
        timeout=CHECK_TIMEOUT,
        connect_timeout=CHECK_TIMEOUT / 2,
    )
    problem = adapter.check()
    if problem:
        raise ValidationError(problem)
    return _save_connection(actor, channel, token=token, chat_id=chat_id, base_url=base_url)


@transaction.atomic
def _save_connection(actor, channel, *, token: str, chat_id: str, base_url: str):
    connection, _created = ChannelConnection.objects.update_or_create(
        channel=channel,
        defaults={
            "token_encrypted": encrypt_token(token),
            "chat_id": chat_id,
            "base_url": base_url,
            "state": ConnectionState.OK,
            "last_error": "",
            "updated_at": timezone.now(),
        },
    )
    validate_fields(connection)
    requeued = _requeue_after_reconnect(channel)  # rows stopped on the broken connection
    audit(
        actor=actor,
        action="publishing.channel.connected",
        target=channel,
        organisation_id=channel.organisation_id,
        data={"requeued": requeued},
    )
    return connection


# ---- photos ------------------------------------------------------------------------------

# The most photos a post takes: the largest album of the messengers (Telegram's and Bale's
# sendMediaGroup, 2-10); a platform without albums sends the first.
MAX_PHOTOS = 10


def _too_many_photos() -> str:
    return _("هر مطلب دست‌بالا %(n)s عکس می‌گیرد (بزرگ‌ترین آلبوم پیام‌رسان‌ها).") % {
        "n": format_number(MAX_PHOTOS)
    }


def post_photo_add(*, actor, post: Post, image, alt_text: str) -> PostPhoto:
    """Add a photo to a post still being written: checked, resized and re-encoded by
    core.uploads here, whoever the caller (the composer, the API, a script). The decoding
    (seconds for a large photo) runs before the transaction, so no lock is held meanwhile;
    the file is removed again if the transaction does not commit."""
    require(actor, "post.edit", post)
    if post.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"photo": _too_many_photos()})
    if not alt_text.strip():
        raise ValidationError(
            {"photo_alt": _("بنویسید در عکس چه دیده می‌شود (برای نابینایان و موتورهای جست‌وجو).")}
        )
    accepted = image_accept(image, rules=POST_PHOTO, field="photo")
    photo = PostPhoto(alt_text=alt_text.strip(), width=accepted.width, height=accepted.height)
    validate_fields(photo, ["alt_text"])
    try:
        with transaction.atomic():
            post = Post.objects.select_for_update().get(pk=post.pk)
            require(actor, "post.edit", post)  # again, under the lock: it may have moved on
            if post.photos.count() >= MAX_PHOTOS:  # another upload got in first
                raise ValidationError({"photo": _too_many_photos()})
            last = post.photos.order_by("-position").values_list("position", flat=True).first()
            photo.post, photo.position = post, (last or 0) + 1
            photo.image.save(accepted.name, accepted.content, save=False)
            photo.save()
            audit(
                actor=actor,
                action="publishing.photo.added",
                target=post,
                organisation_id=post.organisation_id,
            )
    except BaseException:
        if photo.image.name:
            photo.image.storage.delete(photo.image.name)
        raise
    return photo


@transaction.atomic
def post_photo_update(
    *, actor, photo: PostPhoto, alt_text: str | None = None, remove: bool = False
) -> None:
    """Change a photo's alt text, or take it off the post."""
    post = Post.objects.select_for_update().get(pk=photo.post_id)
    require(actor, "post.edit", post)
    if remove:
        storage, name = photo.image.storage, photo.image.name
        photo.delete()
        transaction.on_commit(lambda: storage.delete(name))  # the file only once it is gone
        audit(
            actor=actor,
            action="publishing.photo.removed",
            target=post,
            organisation_id=post.organisation_id,
        )
        return
    if alt_text is not None and alt_text.strip() != photo.alt_text:
        if not alt_text.strip():
            raise ValidationError({"photo_alt": _("متن جایگزین عکس را خالی نگذارید.")})
        photo.alt_text = alt_text.strip()
        validate_fields(photo, ["alt_text"])
        photo.save(update_fields=["alt_text"])


# ---- the video or document --------------------------------------------------------------


def post_attachment_set(*, actor, post: Post, upload) -> PostAttachment:
    """Give a post still being written its video or document (in place of the one it had):
    its size and type checked by core.uploads from its bytes, whoever the caller. The
    channels' own limits are the submit's check (limits.problems), beside the channels."""
    require(actor, "post.edit", post)
    accepted = file_accept(upload, rules=POST_ATTACHMENT, field="attachment")
    item = PostAttachment(
        kind=accepted.kind,
        name=accepted.display_name,
        content_type=accepted.content_type,
        size=accepted.size,
    )
    old_name = ""
    try:
        with transaction.atomic():
            post = Post.objects.select_for_update().get(pk=post.pk)
            require(actor, "post.edit", post)  # again, under the lock
            old = PostAttachment.objects.filter(post=post).first()
            if old is not None:
                old_name = old.file.name
                old.delete()
            item.post = post
            upload.seek(0)
            item.file.save(accepted.name, upload, save=False)
            item.save()
            audit(
                actor=actor,
                action="publishing.attachment.added",
                target=post,
                organisation_id=post.organisation_id,
                data={"kind": item.kind, "size": item.size},
            )
            if old_name:
                storage = item.file.storage
                transaction.on_commit(lambda: storage.delete(old_name))
    except BaseException:
        if item.file.name:
            item.file.storage.delete(item.file.name)
        raise
    return item


@transaction.atomic
def post_attachment_remove(*, actor, post: Post) -> None:
    post = Post.objects.select_for_update().get(pk=post.pk)
    require(actor, "post.edit", post)
    item = PostAttachment.objects.filter(post=post).first()
    if item is None:
        return
    storage, name = item.file.storage, item.file.name
    item.delete()
    transaction.on_commit(lambda: storage.delete(name))
    audit(
        actor=actor,
        action="publishing.attachment.removed",
        target=post,
        organisation_id=post.organisation_id,
    )


# ---- the outbox's services: corrections, withdrawals, unconfirmed sends, reconnection -----
# (Added with outbox.py. Every fix to something already sent is a delivery row of its own,
# so it too goes out exactly once, through the same claim, lease and sweep.)


def _can_edit_delete(channel: Channel) -> tuple[bool, bool]:
    """What the channel's platform allows: (edit, delete). The site and feeds are ours."""
    if channel.kind in IN_PROCESS_KINDS:
        return True, True
    found = platform_for(channel.kind)
    if found is None:
        return False, False
    return found.can_edit, found.can_delete


def _requeue_after_reconnect(channel: Channel) -> int:
    """Rows that stopped on the broken connection go back to the queue."""
    return states.RECONNECTED.move(
        Delivery.objects.filter(channel=channel),
        due_at=timezone.now(),
        attempts=0,
        last_error="",
        leased_by="",
        lease_until=None,
        sending_started_at=None,
    )


@transaction.atomic
def post_correct(
    *,
    actor,
    post: Post,
    title: str | None = None,
    lead: str | None = None,
    body: str | None = None,
    note: str = "",
) -> Post:
    """Correct a post that went out. The post itself takes the new text (the site shows
    it at once); a correction post (kind=correction, correction_of=post) carries one
    delivery per channel the post reached: an edit where the platform allows it,
    otherwise a correction message linking to the original. Channels the post has not
    reached yet simply send the corrected text. Returns the correction post."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    require(actor, "post.withdraw", post)
    if post.status not in (PostStatus.SENDING, PostStatus.SENT):
        raise StateConflict(_("تنها مطلبی را که منتشر شده است می‌توان اصلاح کرد."))
    values = {"title": title, "lead": lead, "body": body}
    values = {k: v.strip() for k, v in values.items() if v is not None}
    if "body" in values:
        values["body"] = sanitize_body(values["body"])
    before = {k: getattr(post, k) for k in values}
    changed = [k for k, v in values.items() if getattr(post, k) != v]
    if not changed and not note.strip():
        raise ValidationError(_("متن مطلب تغییری نکرده است."))
    for name in changed:
        setattr(post, name, values[name])
    post.updated_at = timezone.now()
    validate_fields(post)
    post.save(update_fields=[*changed, "updated_at"])

    now = timezone.now()
    correction = Post.objects.create(
        organisation=post.organisation,
        kind=PostKind.CORRECTION,
        correction_of=post,
        title=post.title[:250],
        lead=note.strip(),
        body=post.body,
        status=PostStatus.SENDING,
        created_by=actor,
        reviewed_by=actor,
        approved_at=now,
        review_comment=note.strip(),
    )
    rows = []
    for delivery in post.deliveries.filter(
        operation=Operation.PUBLISH, state__in=REACHED_STATES
    ).select_related("channel"):
        can_edit, _can_delete = _can_edit_delete(delivery.channel)
        operation = Operation.EDIT if can_edit else Operation.CORRECTION
        rows.append(
            Delivery.fixing(
                post_id=correction.pk,
                channel_id=delivery.channel_id,
                operation=operation,
                due_at=now,
            )
        )
    Delivery.objects.bulk_create(rows)
    if not rows:
        states.ALL_OUT.apply(correction)
        correction.save(update_fields=["status"])
    audit(
        actor=actor,
        action="publishing.post.corrected",
        target=post,
        organisation_id=post.organisation_id,
        data={
            "fields": changed,
            "before": {k: before[k][:500] for k in changed},
            "note": note.strip(),
            "correction_post": correction.pk,
            "deliveries": {str(r.channel_id): r.operation for r in rows},
        },
    )
    return correction


@transaction.atomic
def post_withdraw(*, actor, post: Post, reason: str = "") -> Post:
    """Take a post back everywhere: what has not gone out is cancelled; where it went
    out, it is deleted where the platform allows (within its delete window: 48 hours on
    Telegram and Bale), otherwise a notice that it was withdrawn is posted, linking to it."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    require(actor, "post.withdraw", post)
    if post.status not in (PostStatus.APPROVED, PostStatus.SENDING, PostStatus.SENT):
        raise StateConflict(_("این مطلب منتشر یا تأیید نشده است که پس گرفته شود."))
    now = timezone.now()
    # What has not gone out is cancelled first, so that no worker can claim it after the
    # look below. Reached: it went out, may have, or went out in part (the photos of a
    # post whose text was still to follow): those are taken down or noticed.
    cancelled = states.WITHDRAWN.move(
        Delivery.objects.filter(Q(post=post) | Q(post__correction_of=post)),
        last_error=_("مطلب پس گرفته شد."),
    )
    reached = list(
        post.deliveries.filter(operation=Operation.PUBLISH)
        .filter(Q(state__in=REACHED_STATES) | ~Q(parts=[]))
        .select_related("channel")
    )
    rows = []
    for delivery in reached:
        can_delete = can_delete_now(delivery.channel.kind, delivery.sent_at, now)
        operation = Operation.DELETE if can_delete else Operation.CORRECTION
        rows.append(
            Delivery.fixing(
                post_id=post.pk, channel_id=delivery.channel_id, operation=operation, due_at=now
            )
        )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)  # withdrawing twice adds nothing
    states.POST_WITHDRAWN.apply(post, updated_at=now)
    post.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action="publishing.post.withdrawn",
        target=post,
        organisation_id=post.organisation_id,
        data={
            "reason": reason.strip(),
            "cancelled": cancelled,
            "deliveries": {str(r.channel_id): r.operation for r in rows},
        },
    )
    return post


@transaction.atomic
def delivery_resolve(*, actor, delivery: Delivery, sent: bool, remote_url: str = "") -> Delivery:
    """A person checked an unconfirmed send on the channel: it did go out (optionally
    with its link), or it did not and is sent again."""
    post = Post.objects.select_for_update().get(pk=delivery.post_id)
    delivery = Delivery.objects.select_for_update().select_related("channel").get(pk=delivery.pk)
    delivery.post = post
    require(actor, "delivery.resolve", delivery)
    if delivery.state != DeliveryState.UNCONFIRMED:
        raise StateConflict(_("وضعیت این ارسال نامعلوم نیست که روشن شود."))
    now = timezone.now()
    remote_url = remote_url.strip()
    if sent and remote_url:
        try:
            URLValidator(schemes=["http", "https"])(remote_url)
        except ValidationError:
            raise ValidationError(
                {"remote_url": _("نشانی پیام را کامل بنویسید (با https://).")}
            ) from None
    # Clearing the claim token fences out the worker that lost track of this send.
    delivery.leased_by, delivery.lease_until, delivery.sending_started_at = "", None, None
    if sent:
        states.CONFIRMED.apply(
            delivery, sent_at=now, last_error="", remote_url=remote_url or delivery.remote_url
        )
    else:  # sent again: only the parts not recorded as out
        states.NOT_THERE.apply(delivery, due_at=now, attempts=0, last_error="")
    delivery.save()
    before = (post.status, post.published_at)
    if sent and delivery.operation == Operation.PUBLISH and post.status == PostStatus.APPROVED:
        states.SENDING.apply(post)
    _settle_post(post, dirty=(post.status, post.published_at) != before)
    audit(
        actor=actor,
        action="publishing.delivery.resolved",
        target=delivery,
        organisation_id=post.organisation_id,
        data={"sent": sent, "remote_url": remote_url},
    )
    return delivery


# ---- trying a refused delivery again --------------------------------------------------


def _retry_blocker(delivery: Delivery) -> str:
    """Why this delivery cannot go again now (its connection), or ""."""
    channel = delivery.channel
    if channel.kind in IN_PROCESS_KINDS:
        return ""
    connection = ChannelConnection.objects.filter(channel=channel).first()
    if connection is None:
        return _("کانال %(channel)s به ربات وصل نشده است؛ نخست آن را وصل کنید.") % {
            "channel": channel
        }
    if connection.state == ConnectionState.BROKEN:
        return _("اتصال ربات کانال %(channel)s خراب است؛ نخست آن را دوباره وصل کنید.") % {
            "channel": channel
        }
    return ""


def _retry_locked(delivery: Delivery, now) -> None:
    # Kept: `parts` (what of an album went is never sent again) and `prepared`.
    states.RETRIED.apply(
        delivery,
        due_at=now,
        attempts=0,
        last_error="",
        leased_by="",
        lease_until=None,
        sending_started_at=None,
    )
    delivery.save(
        update_fields=[
            "state",
            "due_at",
            "attempts",
            "last_error",
            "leased_by",
            "lease_until",
            "sending_started_at",
        ]
    )


class RetryBlocked(ValidationError):
    """The delivery's channel has no working connection: `channel` says which."""

    def __init__(self, message: str, *, channel: Channel):
        super().__init__(message)
        self.channel = channel


@transaction.atomic
def delivery_retry(*, actor, delivery: Delivery) -> Delivery:
    """Put a refused delivery back in the outbox, to go as soon as a worker is free. Only
    the parts not yet out go (an album that went stays; its text follows)."""
    post = Post.objects.select_for_update().get(pk=delivery.post_id)
    delivery = Delivery.objects.select_for_update().select_related("channel").get(pk=delivery.pk)
    delivery.post = post
    require(actor, "delivery.retry", delivery)
    if post.status == PostStatus.WITHDRAWN:
        raise ValidationError(_("این مطلب پس گرفته شده است؛ دوباره فرستاده نمی‌شود."))
    if delivery.state != DeliveryState.FAILED:
        raise ValidationError(
            _("این ارسال ناموفق نیست (وضعیت: %(state)s)؛ دوباره فرستادن لازم نیست.")
            % {"state": delivery.get_state_display()}
        )
    blocker = _retry_blocker(delivery)
    if blocker:
        raise RetryBlocked(blocker, channel=delivery.channel)
    _retry_locked(delivery, timezone.now())
    audit(
        actor=actor,
        action="publishing.delivery.retried",
        target=delivery,
        organisation_id=post.organisation_id,
        data={"channel": delivery.channel_id, "parts_kept": len(delivery.parts)},
    )
    return delivery


@transaction.atomic
def post_retry_failed(*, actor, post: Post) -> tuple[list[Delivery], list[Channel]]:
    """Every refused delivery of the post back in the outbox, except those whose channel
    has no working connection: (the retried deliveries, the channels left waiting)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    failed = list(
        Delivery.objects.select_for_update()
        .filter(post=post, state=DeliveryState.FAILED)
        .select_related("channel")
        .order_by("pk")
    )
    for delivery in failed:
        delivery.post = post
        require(actor, "delivery.retry", delivery)
    if post.status == PostStatus.WITHDRAWN:
        raise ValidationError(_("این مطلب پس گرفته شده است؛ دوباره فرستاده نمی‌شود."))
    if not failed:
        raise ValidationError(_("این مطلب ارسال ناموفقی ندارد."))
    now = timezone.now()
    retried, blocked = [], []
    for delivery in failed:
        if _retry_blocker(delivery):
            blocked.append(delivery.channel)
            continue
        _retry_locked(delivery, now)
        retried.append(delivery)
    if not retried:
        names = "، ".join(str(c) for c in blocked)
        raise RetryBlocked(
            _("اتصال ربات این کانال‌ها برقرار نیست؛ نخست آن‌ها را وصل کنید: %(names)s")
            % {"names": names},
            channel=blocked[0],
        )
    audit(
        actor=actor,
        action="publishing.delivery.retried",
        target=post,
        organisation_id=post.organisation_id,
        data={"deliveries": [d.pk for d in retried], "blocked": [c.pk for c in blocked]},
    )
    return retried, blocked


@transaction.atomic
def default_channels_set(*, actor, organisation: Organisation, channel_ids) -> list[int]:
    """The channels the organisation's new posts start ticked for, replacing the last
    choice. Only the organisation's own active channels."""
    require(actor, "publishing.defaults.manage", organisation)
    wanted = {int(pk) for pk in channel_ids}
    channels = list(organisation.channels.filter(pk__in=wanted, is_active=True))
    if len(channels) != len(wanted):
        raise ValidationError(
            {"channels": _("کانالی برگزیده شده که از کانال‌های فعال این سازمان نیست.")}
        )
    DefaultChannel.objects.filter(channel__organisation=organisation).exclude(
        channel__in=channels
    ).delete()
    DefaultChannel.objects.bulk_create(
        [DefaultChannel(channel=c) for c in channels], ignore_conflicts=True
    )
    chosen = sorted(c.pk for c in channels)
    audit(
        actor=actor,
        action="publishing.defaults.set",
        target=organisation,
        organisation_id=organisation.pk,
        data={"channels": chosen},
    )
    return chosen
