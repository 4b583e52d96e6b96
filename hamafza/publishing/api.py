"""The publishing API: posts through review to the channels, their deliveries, and the
channels' connections (their state, never their tokens). The same access getters,
services and policy as the pages; a post in a state that does not allow the operation is
409, with the reason in Persian."""

from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from hamafza.core.api_errors import READ, WRITE, answers
from hamafza.core.permissions import can, require
from hamafza.core.validation import StateConflict
from hamafza.network.selectors import channel_get_for_user, organisation_get_for_user

from . import limits, selectors, services
from .models import (
    ConnectionState,
    DeliveryState,
    Operation,
    Post,
    PostKind,
    PostStatus,
)
from .policy import EDITABLE

router = Router(tags=["publishing"])

PAGE_SIZE = 30
# How far ahead a post may be scheduled: a date years away is a typing mistake.
FURTHEST_SCHEDULE = timedelta(days=366)


# ---- schemas -----------------------------------------------------------------------------


class PhotoOut(Schema):
    id: int
    alt_text: str
    width: int | None
    height: int | None
    position: int


class TargetOut(Schema):
    channel_id: int
    variant_text: str


class PostOut(Schema):
    id: int
    organisation_id: int
    kind: PostKind
    title: str
    lead: str
    body: str  # the site's (sanitised) HTML
    body_text: str  # the same in the composer's formatting markup
    tags: list[str]
    status: PostStatus
    publish_at: datetime | None
    silent: bool
    pin: bool
    review_comment: str
    correction_of_id: int | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    approved_at: datetime | None
    published_at: datetime | None
    targets: list[TargetOut]
    photos: list[PhotoOut]


class PostPage(Schema):
    count: int
    page: int
    pages: int
    items: list[PostOut]


class PostIn(Schema):
    organisation_id: int
    kind: PostKind = PostKind.NEWS
    title: str
    lead: str = ""
    body: str = ""  # the composer's formatting markup (paragraphs a blank line apart)
    tags: list[str] = []
    channel_ids: list[int] = []
    variants: dict[int, str] = {}  # channel id → a text of its own for that channel
    publish_at: datetime | None = None
    silent: bool = False
    pin: bool = False


class PostPatch(Schema):
    kind: PostKind | None = None
    title: str | None = None
    lead: str | None = None
    body: str | None = None
    tags: list[str] | None = None
    channel_ids: list[int] | None = None
    variants: dict[int, str] | None = None
    silent: bool | None = None
    pin: bool | None = None
    # The post's `updated_at` as read: if it changed since, 409 and nothing is saved.
    updated_at: datetime | None = None


class ApproveIn(Schema):
    # The page asks for this when serious findings or clashes remain.
    confirm: bool = False


class ReturnIn(Schema):
    reason: str


class ScheduleIn(Schema):
    publish_at: datetime | None  # null: at once, when approved


class WithdrawIn(Schema):
    reason: str = ""


class CorrectIn(Schema):
    title: str | None = None
    lead: str | None = None
    body: str | None = None  # the formatting markup, as for a new post
    note: str = ""


class DeliveryOut(Schema):
    id: int
    post_id: int
    channel_id: int
    channel_kind: str
    operation: Operation
    state: DeliveryState
    attempts: int
    due_at: datetime
    sent_at: datetime | None
    remote_url: str
    last_error: str
    pinned_at: datetime | None
    pin_note: str


class ResolveIn(Schema):
    # A person looked at the channel: the send did go out (`sent`, with its link if they
    # have it), or it did not and goes again.
    sent: bool
    remote_url: str = ""


class ConnectionOut(Schema):
    channel_id: int
    organisation_id: int
    kind: str
    handle: str
    title: str
    connected: bool
    state: ConnectionState | None
    chat_id: str
    base_url: str
    last_error: str
    updated_at: datetime | None


# ---- helpers -----------------------------------------------------------------------------


def _post_out(post: Post) -> dict:
    return {
        **{name: getattr(post, name) for name in PostOut.model_fields if hasattr(post, name)},
        "body_text": limits.body_text(post.body),
        "tags": [str(t) for t in post.tags or []],
        "targets": [
            {"channel_id": t.channel_id, "variant_text": t.variant_text} for t in post.targets.all()
        ],
        "photos": list(post.photos.all()),
    }


def _channels(organisation, ids: list[int]) -> list:
    """The organisation's channels with these ids; an id that is not one of them is 422."""
    mine = {c.pk: c for c in selectors.organisation_channels(organisation)}
    unknown = [i for i in ids if i not in mine]
    if unknown:
        raise ValidationError({"channel_ids": [_("این کانال‌ها از این سازمان نیستند.")]})
    return [mine[i] for i in dict.fromkeys(ids)]


def _publish_at(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        now = timezone.now()
        ok_range = now < moment < now + FURTHEST_SCHEDULE
    except (OverflowError, ValueError):
        ok_range = False
    if not ok_range:
        raise ValidationError(
            {"publish_at": [_("زمانی در آینده (تا یک سال دیگر) برای انتشار برگزینید.")]}
        )
    return moment


def _version(moment: datetime | None) -> datetime | None:
    """The `updated_at` a client read back, in UTC (a naive one is taken as local time)."""
    if moment is None:
        return None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationError({"updated_at": [_("این زمان نادرست است.")]}) from None


def _editable(user, post_id) -> Post:
    """A post its writer may still change: one that has moved on (in review, approved,
    out) is a conflict for them, not a missing permission."""
    post = selectors.post_get_for_user(user, post_id)
    if post.status not in EDITABLE and can(user, "post.create", post.organisation):
        raise StateConflict(
            _("این مطلب «%(status)s» است و دیگر ویرایش نمی‌شود.")
            % {"status": post.get_status_display()}
        )
    require(user, "post.edit", post)
    return post


def _fresh(post: Post) -> dict:
    """The post as it is now, after the service saved it."""
    return _post_out(Post.objects.prefetch_related("targets", "photos").get(pk=post.pk))


# ---- posts -------------------------------------------------------------------------------


@router.get("/posts", response=answers({200: PostPage}, *READ))
def post_list(
    request,
    organisation_id: int | None = None,
    status: PostStatus | None = None,
    page: int = 1,
):
    """The posts the caller may see (newest change first), 30 a page, as on the pages."""
    user = request.auth
    require(user, "publishing.menu.posts")
    organisation = None
    if organisation_id is not None:
        organisation = organisation_get_for_user(user, organisation_id)
        if not can(user, "post.view", Post(organisation=organisation)):
            raise Http404
    posts = selectors.post_list(user, organisation=organisation, status=status or "")
    found = Paginator(posts.prefetch_related("photos"), PAGE_SIZE).get_page(page)
    return {
        "count": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
        "items": [_post_out(p) for p in found.object_list],
    }


@router.post("/posts", response=answers({201: PostOut}, *WRITE))
def post_create(request, payload: PostIn):
    user = request.auth
    organisation = organisation_get_for_user(user, payload.organisation_id)
    require(user, "post.create", organisation)
    if payload.kind == PostKind.CORRECTION:
        raise ValidationError({"kind": [_("اصلاحیه را با «اصلاح» مطلب منتشرشده بسازید.")]})
    post = services.post_create(
        actor=user,
        organisation=organisation,
        kind=payload.kind,
        title=payload.title,
        lead=payload.lead,
        body=limits.body_html(payload.body),
        tags=[t.strip() for t in payload.tags if t.strip()],
        channels=_channels(organisation, payload.channel_ids),
        variants=payload.variants,
        publish_at=_publish_at(payload.publish_at),
        silent=payload.silent,
        pin=payload.pin,
    )
    return Status(201, _fresh(post))


@router.get("/posts/{post_id}", response=answers({200: PostOut}, *READ))
def post_get(request, post_id: int):
    return _post_out(selectors.post_get_for_user(request.auth, post_id))


@router.patch("/posts/{post_id}", response=answers({200: PostOut}, *WRITE, 409))
def post_update(request, post_id: int, payload: PostPatch):
    """Change a draft or a returned post; only the fields sent change."""
    post = _editable(request.auth, post_id)
    values = payload.dict(exclude_none=True, exclude={"channel_ids", "variants", "updated_at"})
    if values.get("kind") == PostKind.CORRECTION:
        raise ValidationError({"kind": [_("اصلاحیه را با «اصلاح» مطلب منتشرشده بسازید.")]})
    if "body" in values:
        values["body"] = limits.body_html(values["body"])
    if "tags" in values:
        values["tags"] = [t.strip() for t in values["tags"] if t.strip()]
    channels = None
    variants = payload.variants
    if payload.channel_ids is not None:
        channels = _channels(post.organisation, payload.channel_ids)
    elif variants is not None:  # new texts for the channels it has
        channels = [t.channel for t in post.targets.select_related("channel")]
    if variants is None and channels is not None:
        variants = {t.channel_id: t.variant_text for t in post.targets.all()}
    services.post_update(
        actor=request.auth,
        post=post,
        channels=channels,
        variants=variants,
        expected_updated_at=_version(payload.updated_at),
        **values,
    )
    return _fresh(post)


@router.post("/posts/{post_id}/photos", response=answers({201: PhotoOut}, *WRITE, 409))
def photo_add(request, post_id: int, image: File[UploadedFile], alt_text: Form[str]):
    """Add a photo (multipart: `image` and its `alt_text`); checked and resized as the
    composer's."""
    post = _editable(request.auth, post_id)
    photo = services.post_photo_add(actor=request.auth, post=post, image=image, alt_text=alt_text)
    return Status(201, photo)


@router.post("/posts/{post_id}/submit", response=answers({200: PostOut}, *READ, 409))
def post_submit(request, post_id: int):
    post = _editable(request.auth, post_id)
    return _fresh(services.post_submit(actor=request.auth, post=post))


@router.post("/posts/{post_id}/schedule", response=answers({200: PostOut}, *WRITE, 409))
def post_schedule(request, post_id: int, payload: ScheduleIn):
    """When the post goes out once approved (null: at once); while it is being written."""
    post = _editable(request.auth, post_id)
    services.post_update(actor=request.auth, post=post, publish_at=_publish_at(payload.publish_at))
    return _fresh(post)


@router.post("/posts/{post_id}/approve", response=answers({200: PostOut}, *WRITE, 409))
def post_approve(request, post_id: int, payload: ApproveIn):
    """Approve: one delivery per channel, due at the publish time. With serious findings
    of the editorial checker or clashes on the channels, only with `confirm`."""
    post = selectors.post_get_for_user(request.auth, post_id, action="post.review")
    if post.status != PostStatus.IN_REVIEW:
        raise StateConflict(_("این مطلب در انتظار بازبینی نیست."))
    counts = selectors.finding_counts(selectors.post_findings(post))
    warnings = selectors.post_clash_warnings(post)
    if (counts["serious"] or warnings) and not payload.confirm:
        found = [_("ویرایشگر %(n)s ایراد جدی یافته است.") % {"n": counts["serious"]}] * bool(
            counts["serious"]
        )
        raise ValidationError(
            {
                "confirm": [
                    _("هشدارها را ببینید؛ اگر با وجود آن‌ها تأیید می‌کنید، confirm بفرستید."),
                    *found,
                    *warnings,
                ]
            }
        )
    return _fresh(services.post_approve(actor=request.auth, post=post))


@router.post("/posts/{post_id}/return", response=answers({200: PostOut}, *WRITE, 409))
def post_return(request, post_id: int, payload: ReturnIn):
    """Send the post back to its writer with what to fix."""
    post = selectors.post_get_for_user(request.auth, post_id, action="post.review")
    return _fresh(services.post_return(actor=request.auth, post=post, comment=payload.reason))


@router.post("/posts/{post_id}/withdraw", response=answers({200: PostOut}, *WRITE, 409))
def post_withdraw(request, post_id: int, payload: WithdrawIn):
    post = selectors.post_get_for_user(request.auth, post_id, action="post.withdraw")
    return _fresh(services.post_withdraw(actor=request.auth, post=post, reason=payload.reason))


@router.post("/posts/{post_id}/correct", response=answers({201: PostOut}, *WRITE, 409))
def post_correct(request, post_id: int, payload: CorrectIn):
    """Correct a post that went out: the answer is the correction post, whose deliveries
    carry the edit or correction message to each channel the post reached."""
    post = selectors.post_get_for_user(request.auth, post_id, action="post.withdraw")
    values = payload.dict(exclude_none=True)
    if "body" in values:
        values["body"] = limits.body_html(values["body"])
    correction = services.post_correct(actor=request.auth, post=post, **values)
    return Status(201, _fresh(correction))


@router.get("/posts/{post_id}/deliveries", response=answers({200: list[DeliveryOut]}, *READ))
def post_deliveries(request, post_id: int):
    """Where the post went, and how each send stands."""
    post = selectors.post_get_for_user(request.auth, post_id)
    return [_delivery_out(d) for d in selectors.post_deliveries(post)]


def _delivery_out(delivery) -> dict:
    fields = {f: getattr(delivery, f) for f in DeliveryOut.model_fields if hasattr(delivery, f)}
    return {**fields, "channel_kind": delivery.channel.kind}


@router.post("/deliveries/{delivery_id}/resolve", response=answers({200: DeliveryOut}, *WRITE, 409))
def delivery_resolve(request, delivery_id: int, payload: ResolveIn):
    """Settle a send whose outcome is unknown («نامعلوم؛ بررسی کنید»), as on the page."""
    delivery = selectors.delivery_get_for_user(request.auth, delivery_id)
    require(request.auth, "delivery.resolve", delivery)
    delivery = services.delivery_resolve(
        actor=request.auth,
        delivery=delivery,
        sent=payload.sent,
        remote_url=payload.remote_url if payload.sent else "",
    )
    return _delivery_out(delivery)


# ---- channel connections (their state; the token is never read back) ---------------------


def _connection_out(channel) -> dict:
    connection = getattr(channel, "connection", None)
    return {
        "channel_id": channel.pk,
        "organisation_id": channel.organisation_id,
        "kind": channel.kind,
        "handle": channel.handle,
        "title": channel.title,
        "connected": connection is not None,
        "state": connection.state if connection else None,
        "chat_id": connection.chat_id if connection else "",
        "base_url": connection.base_url if connection else "",
        "last_error": connection.last_error if connection else "",
        "updated_at": connection.updated_at if connection else None,
    }


@router.get(
    "/organisations/{org_id}/connections",
    response=answers({200: list[ConnectionOut]}, *READ),
)
def connection_list(request, org_id: int):
    """The organisation's channels that need a bot, for those who may connect them."""
    organisation = organisation_get_for_user(request.auth, org_id)
    channels = selectors.organisation_connections(organisation)
    mine = [c for c in channels if can(request.auth, "channel.connect", c)]
    if not mine and channels:
        raise PermissionDenied
    return [_connection_out(c) for c in mine]


@router.get("/connections/{channel_id}", response=answers({200: ConnectionOut}, *READ))
def connection_get(request, channel_id: int):
    channel = channel_get_for_user(request.auth, channel_id, action="channel.connect")
    if channel.kind not in selectors.CONNECTABLE_KINDS:
        raise Http404
    return _connection_out(channel)
