"""Reads the publishing pages share: the permission-checked getters and the lists a user
may see, each loading what its page shows in a fixed number of queries."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from hamafza.core.collation import persian_order
from hamafza.core.models import AuditEntry
from hamafza.core.permissions import fetch_or_404, get_for_user
from hamafza.network.models import Channel, Organisation
from hamafza.network.policy import organisations_where
from hamafza.persian.dates import jalali_datetime
from hamafza.persian.digits import format_number
from hamafza.persian.text import checker

from . import limits
from .models import (
    CLAIMABLE,
    OPEN_STATES,
    REACHED_STATES,
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
from .platforms.registry import ADAPTERS, IN_PROCESS_KINDS, delete_deadline, platform_for
from .policy import REVIEWERS, WRITERS

# Kinds reached through a bot of the organisation's own; the site and feeds need none.
CONNECTABLE_KINDS = tuple(ADAPTERS)
SCHEDULE_CLASH = timedelta(minutes=10)
# The tags too: a tag spelt with an Arabic ي or without its ZWNJ is another tag.
CHECKED_FIELDS = ("title", "lead", "body", "tags")
TAG_SEPARATOR = "، "


def post_get_for_user(user, pk, *, action: str = "post.view") -> Post:
    """The post if the user may see it (else 404) and do `action` to it (else 403)."""
    post = fetch_or_404(
        Post.objects.select_related("organisation__parent", "created_by", "reviewed_by"), pk
    )
    return get_for_user(user, post, view_action="post.view", action=action)


def photo_get_for_user(user, pk, *, action: str = "post.view") -> PostPhoto:
    photo = fetch_or_404(PostPhoto.objects.select_related("post__organisation__parent"), pk)
    get_for_user(user, photo.post, view_action="post.view", action=action)
    return photo


# On the site once its website delivery is done, even while messengers still retry.
PUBLIC_STATUSES = (PostStatus.SENDING, PostStatus.SENT)
PHOTO_PREFIX = "posts/"  # PostPhoto.image's upload_to starts so


def attachment_get_for_user(user, pk, *, action: str = "post.view") -> PostAttachment:
    item = fetch_or_404(PostAttachment.objects.select_related("post__organisation__parent"), pk)
    get_for_user(user, item.post, view_action="post.view", action=action)
    return item


def photo_is_public(name: str) -> bool:
    """Whether a stored photo belongs to a post on the public site now: the gate in
    core.media serves it to anyone only then (drafts, posts in review, returned and
    withdrawn ones stay behind photo_get_for_user). And while a platform that fetches the
    photos itself (Instagram) is being sent the post: its publication is due and under
    way, so the photo is about to be public there anyway, whether or not the post goes to
    the site too (and before the site's own delivery, whichever runs first)."""
    photos = PostPhoto.objects.filter(image=name)
    on_site = Q(post__published_at__isnull=False, post__status__in=PUBLIC_STATUSES)
    if photos.filter(on_site).exists():
        return True
    fetching = fetching_kinds()
    if not fetching:
        return False
    being_fetched = Delivery.objects.filter(
        post_id=OuterRef("post_id"),
        operation=Operation.PUBLISH,
        state__in=[DeliveryState.LEASED, DeliveryState.RETRY],
        channel__kind__in=fetching,
        due_at__lte=timezone.now(),
    )
    return (
        photos.filter(post__status__in=(PostStatus.APPROVED, PostStatus.SENDING))
        .filter(Exists(being_fetched))
        .exists()
    )


def fetching_kinds() -> list[str]:
    """The channel kinds whose platform fetches a post's photos from the site."""
    return sorted(kind for kind, adapter in ADAPTERS.items() if adapter.platform.photos_by_url)


def delivery_get_for_user(user, pk, *, action: str = "post.view") -> Delivery:
    delivery = fetch_or_404(
        Delivery.objects.select_related("post__organisation__parent", "channel"), pk
    )
    get_for_user(user, delivery.post, view_action="post.view", action=action)
    return delivery


def writable_organisations(user) -> QuerySet[Organisation]:
    ids = organisations_where(user, WRITERS)
    orgs = Organisation.objects.filter(is_active=True)
    return (orgs if ids is None else orgs.filter(id__in=ids)).in_network_order()


def _listed(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("organisation", "created_by").prefetch_related(
        Prefetch("targets", queryset=PostTarget.objects.select_related("channel")),
    )


def post_list(user, *, organisation: Organisation | None = None, status: str = "") -> QuerySet:
    ids = organisations_where(user, WRITERS | REVIEWERS)
    posts = Post.objects.all()
    if ids is not None:
        posts = posts.filter(organisation_id__in=ids)
    if organisation is not None:
        posts = posts.filter(organisation=organisation)
    if status:
        posts = posts.filter(status=status)
    return _listed(posts).annotate(photo_count=Count("photos")).order_by("-updated_at", "-pk")


# What the calendar shows: posts on their way out or out (the review queue's too, at the
# time asked for them), never drafts nor withdrawn ones.
CALENDAR_STATUSES = (
    PostStatus.IN_REVIEW,
    PostStatus.APPROVED,
    PostStatus.SENDING,
    PostStatus.SENT,
)


def calendar_posts(user, *, start, end, organisation: Organisation | None = None) -> list[Post]:
    """The posts the user may see whose moment falls in [start, end), in one query, each
    with `moment`: its scheduled time, or for a post sent without one the time it went
    out (on the site, else its first channel)."""
    ids = organisations_where(user, WRITERS | REVIEWERS)
    posts = Post.objects.filter(status__in=CALENDAR_STATUSES).exclude(kind=PostKind.CORRECTION)
    if ids is not None:
        posts = posts.filter(organisation_id__in=ids)
    if organisation is not None:
        posts = posts.filter(organisation=organisation)
    first_sent = Min("deliveries__sent_at", filter=Q(deliveries__operation=Operation.PUBLISH))
    return list(
        posts.annotate(moment=Coalesce("publish_at", "published_at", first_sent))
        .filter(moment__gte=start, moment__lt=end)
        .select_related("organisation")
        .order_by("moment", "pk")
    )


def calendar_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose posts the user sees, for the calendar's filter."""
    ids = organisations_where(user, WRITERS | REVIEWERS)
    orgs = Organisation.objects.filter(is_active=True)
    return (orgs if ids is None else orgs.filter(id__in=ids)).in_network_order()


def posts_organisation_get_for_user(user, pk) -> Organisation:
    """An organisation whose posts the user sees (404 otherwise): the post list's rule,
    by which a hub's reviewer sees its agencies' posts without managing the agencies."""
    return fetch_or_404(calendar_organisations(user), pk)


def post_history(post: Post) -> list[AuditEntry]:
    """What was done to the post and by whom, oldest first (its audit entries)."""
    return list(
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(Post), target_id=str(post.pk)
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def review_queue(user) -> QuerySet[Post]:
    """Posts waiting for this reviewer, oldest first."""
    ids = organisations_where(user, REVIEWERS)
    posts = Post.objects.filter(status=PostStatus.IN_REVIEW)
    if ids is not None:
        posts = posts.filter(organisation_id__in=ids)
    return _listed(posts).order_by("submitted_at", "pk")


def returned_posts(user) -> QuerySet[Post]:
    ids = organisations_where(user, WRITERS)
    posts = Post.objects.filter(status=PostStatus.RETURNED)
    if ids is not None:
        posts = posts.filter(organisation_id__in=ids)
    return posts.select_related("organisation", "reviewed_by").order_by("-updated_at", "-pk")


def organisation_channels(organisation: Organisation) -> list[Channel]:
    """With each one's connection: the composer's limits say which are not connected."""
    return list(
        organisation.channels.filter(is_active=True)
        .select_related("connection")
        .order_by("kind", "handle")
    )


# ---- the editorial checker ------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFinding:
    field: str
    index: int
    finding: checker.Finding

    @property
    def key(self) -> str:
        """Names one finding in a form's button: field, span and code."""
        f = self.finding
        return f"{self.field}:{f.start}:{f.end}:{f.code}"


def check_texts(texts: dict[str, str]) -> dict[str, list[CheckedFinding]]:
    return {
        name: [
            CheckedFinding(name, i, f) for i, f in enumerate(checker.check(texts.get(name) or ""))
        ]
        for name in CHECKED_FIELDS
    }


def finding_counts(findings: dict[str, list[CheckedFinding]]) -> dict[str, int]:
    every = [c.finding for found in findings.values() for c in found]
    return {
        "safe": sum(f.safe for f in every),
        "serious": sum(not f.safe for f in every),
        "total": len(every),
    }


def post_texts(post: Post) -> dict[str, str]:
    return {
        "title": post.title,
        "lead": post.lead,
        "body": limits.body_text(post.body),
        "tags": TAG_SEPARATOR.join(post.tags or []),
    }


def post_findings(post: Post) -> dict[str, list[CheckedFinding]]:
    return check_texts(post_texts(post))


# ---- warnings before sending ------------------------------------------------------------


def clash_warnings(
    *,
    title: str,
    body_html: str,
    channels: list[Channel],
    publish_at=None,
    exclude_post: Post | None = None,
) -> list[str]:
    """The same text already sent on a channel, or another post going out on it within
    ten minutes of this one."""
    if not channels:
        return []
    warnings = []
    other = Delivery.objects.filter(channel__in=channels).select_related("post", "channel")
    if exclude_post is not None and exclude_post.pk:
        other = other.exclude(post=exclude_post)
    same_text = Q(post__title=title.strip()) if title.strip() else Q(pk__in=[])
    if body_html.strip():
        same_text |= Q(post__body=body_html)
    for delivery in other.filter(same_text, state=DeliveryState.SENT).order_by("-sent_at")[:5]:
        warnings.append(
            _("همین متن پیش‌تر در %(channel)s فرستاده شده است (%(when)s، «%(title)s»).")
            % {
                "channel": delivery.channel,
                "when": jalali_datetime(delivery.sent_at) if delivery.sent_at else "",
                "title": delivery.post.title,
            }
        )
    moment = publish_at or timezone.now()
    window = Q(due_at__range=(moment - SCHEDULE_CLASH, moment + SCHEDULE_CLASH)) & Q(
        state__in=OPEN_STATES
    )
    window |= Q(sent_at__range=(moment - SCHEDULE_CLASH, moment + SCHEDULE_CLASH))
    for delivery in other.filter(window).order_by("due_at")[:5]:
        when = delivery.sent_at or delivery.due_at
        warnings.append(
            _(
                "«%(title)s» در %(when)s در %(channel)s منتشر می‌شود یا شده است؛ کمتر از ده دقیقه فاصله."
            )
            % {
                "title": delivery.post.title,
                "when": jalali_datetime(when),
                "channel": delivery.channel,
            }
        )
    return warnings


def post_clash_warnings(post: Post) -> list[str]:
    channels = [t.channel for t in post.targets.select_related("channel")]
    return clash_warnings(
        title=post.title,
        body_html=post.body,
        channels=channels,
        publish_at=post.publish_at,
        exclude_post=post,
    )


# ---- deliveries and the queue -----------------------------------------------------------


def post_deliveries(post: Post) -> list[Delivery]:
    return list(post.deliveries.select_related("channel").order_by("channel__kind", "operation"))


@dataclass(frozen=True)
class WithdrawalStep:
    channel: Channel
    what: str  # what withdrawing does there, in Persian


def withdrawal_plan(post: Post, *, now=None) -> list[WithdrawalStep]:
    """What withdrawing the post would do in each of its channels, by the same rule the
    withdrawal follows (registry.can_delete_now), so the page promises what happens."""
    now = now or timezone.now()
    steps = []
    for delivery in post.deliveries.filter(operation=Operation.PUBLISH).select_related("channel"):
        kind = delivery.channel.kind
        if delivery.state not in REACHED_STATES and not delivery.parts:
            what = _("هنوز نرفته است؛ لغو می‌شود.")
        elif kind in IN_PROCESS_KINDS:
            what = _("برداشته می‌شود.")
        else:
            allowed, until = delete_deadline(kind, delivery.sent_at)
            if allowed and until is None:
                what = _("پیام حذف می‌شود.")
            elif allowed and now < until:
                what = _("پیام حذف می‌شود (تا %(until)s می‌شود حذفش کرد).") % {
                    "until": jalali_datetime(until)
                }
            elif allowed:
                what = _("مهلت حذف گذشته است؛ اعلام پس‌گرفتن با پیوند به خبر فرستاده می‌شود.")
            elif getattr(platform_for(kind), "needs_photo", False):  # no notice can go there
                what = _(
                    "حذف با برنامه شدنی نیست و اعلامی هم نمی‌رود؛ یادداشتی می‌ماند تا آن را خودتان حذف کنید."
                )
            else:
                what = _(
                    "این پیام‌رسان حذف با ربات را نمی‌پذیرد؛ اعلام پس‌گرفتن با پیوند به خبر فرستاده می‌شود."
                )
        steps.append(WithdrawalStep(delivery.channel, what))
    return sorted(steps, key=lambda step: (step.channel.kind, step.channel.handle))


def default_channel_ids(organisation: Organisation) -> list[int]:
    """The channels a new post of the organisation starts ticked for."""
    return list(
        DefaultChannel.objects.filter(
            channel__organisation=organisation, channel__is_active=True
        ).values_list("channel_id", flat=True)
    )


def organisation_connections(organisation: Organisation) -> list[Channel]:
    """The organisation's channels that need a bot, each with its connection (or None)."""
    return list(
        organisation.channels.filter(kind__in=CONNECTABLE_KINDS)
        .select_related("connection")
        .order_by("kind", "handle")
    )


def queue_health() -> dict:
    now = timezone.now()
    counts = dict(
        Delivery.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    by_state = [(label, counts.get(value, 0), value) for value, label in DeliveryState.choices]
    overdue = Delivery.objects.filter(state__in=CLAIMABLE, due_at__lte=now).aggregate(
        oldest=Min("due_at"), count=Count("pk")
    )
    return {
        "by_state": by_state,
        "oldest_due": overdue["oldest"],
        "overdue": overdue["count"],
        "expired_leases": Delivery.objects.filter(
            state=DeliveryState.LEASED, lease_until__lt=now
        ).count(),
        "unconfirmed": Delivery.objects.filter(state=DeliveryState.UNCONFIRMED)
        .select_related("post__organisation", "channel")
        .order_by("created_at")[:20],
        # The count above the list and the list itself: one source, so they agree.
        "stalled": stalled_channels(),
    }


def post_attachment(post):
    """The post's video or document, or None (a post not yet saved has none)."""
    if post is None or post.pk is None:
        return None
    return PostAttachment.objects.filter(post=post).first()


def channel_options(channels) -> dict[str, list]:
    """Which of the organisation's channels offer each post option («بی‌صدا», «سنجاق»),
    by their platform: the composer shows an option only for those."""
    offered: dict[str, list] = {"silent": [], "pin": []}
    for channel in channels:
        found = limits.limits_for_kind(channel.kind)
        if found.silent:
            offered["silent"].append(channel)
        if found.pin:
            offered["pin"].append(channel)
    return offered


# ---- what went where ------------------------------------------------------------------


@dataclass(frozen=True)
class DeliverySummary:
    """A post's publish deliveries counted by state, and the sentence that says it."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def _n(self, *states_: str) -> int:
        return sum(self.counts.get(s, 0) for s in states_)

    @property
    def sent(self) -> int:
        return self._n(DeliveryState.SENT)

    @property
    def failed(self) -> int:
        return self._n(DeliveryState.FAILED, DeliveryState.TOO_LATE)

    @property
    def broken(self) -> int:
        return self._n(DeliveryState.CREDENTIALS)

    @property
    def unconfirmed(self) -> int:
        return self._n(DeliveryState.UNCONFIRMED)

    @property
    def waiting(self) -> int:
        return self._n(*OPEN_STATES)

    @property
    def has_problems(self) -> bool:
        """Something did not go and will not go on its own: a person must act."""
        return bool(self.failed or self.broken or self.unconfirmed)

    @property
    def sentence(self) -> str:
        """«منتشر در ۱ از ۴ کانال؛ ۳ ناموفق»"""
        if not self.total:
            return ""
        parts = [
            _("منتشر در %(sent)s از %(total)s کانال")
            % {"sent": format_number(self.sent), "total": format_number(self.total)}
        ]
        for n, label in (
            (self.failed, _("ناموفق")),
            (self.broken, _("اتصال خراب")),
            (self.unconfirmed, _("نامعلوم")),
            (self.waiting, _("در صف")),
        ):
            if n:
                parts.append(f"{format_number(n)} {label}")
        return "؛ ".join(parts)


def delivery_summaries(posts) -> dict[int, DeliverySummary]:
    """Per post of `posts` (a page of them), its publish deliveries by state: one grouped
    query for the page, whatever its length."""
    ids = [p.pk for p in posts]
    found: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    if not ids:
        return {}
    rows = (
        Delivery.objects.filter(post_id__in=ids, operation=Operation.PUBLISH)
        .values("post_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        found[row["post_id"]][row["state"]] = row["n"]
    return {pk: DeliverySummary(counts) for pk, counts in found.items()}


def with_summaries(posts) -> list[Post]:
    """The posts, each with `.summary` (its DeliverySummary), for the status badge."""
    posts = list(posts)
    summaries = delivery_summaries(posts)
    for post in posts:
        post.summary = summaries.get(post.pk)
    return posts


def posts_with_failures(user, *, limit: int = 5) -> list[Post]:
    """The user's organisations' posts with a refused or stopped delivery, newest first."""
    ids = organisations_where(user, WRITERS | REVIEWERS)
    stuck = Delivery.objects.filter(
        post_id=OuterRef("pk"),
        operation=Operation.PUBLISH,
        state__in=[DeliveryState.FAILED, DeliveryState.CREDENTIALS, DeliveryState.UNCONFIRMED],
    )
    posts = Post.objects.filter(Exists(stuck)).exclude(status=PostStatus.WITHDRAWN)
    if ids is not None:
        posts = posts.filter(organisation_id__in=ids)
    return with_summaries(
        posts.select_related("organisation").order_by("-updated_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class StalledChannel:
    """A channel whose deliveries stopped: its connection broke, or it never had one."""

    channel: Channel
    never_connected: bool
    stopped: int  # deliveries waiting on it
    error: str

    @property
    def reason(self) -> str:
        if self.never_connected:
            return _("هیچ‌گاه به ربات وصل نشده است")
        return _("اتصال ربات خراب است")


def stalled_channels(organisation_ids=None) -> list[StalledChannel]:
    """The one list of channels sends are stopped on, for the queue page's count and its
    list and for the home card alike: a broken connection, or deliveries waiting on a
    channel never connected (the outbox parks them as «اتصال خراب» too)."""
    stopped = Count("deliveries", filter=Q(deliveries__state=DeliveryState.CREDENTIALS))
    channels = (
        Channel.objects.filter(kind__in=CONNECTABLE_KINDS)
        .annotate(stopped=stopped)
        .filter(Q(connection__state=ConnectionState.BROKEN) | Q(stopped__gt=0))
        .select_related("organisation", "connection")
    )
    if organisation_ids is not None:
        channels = channels.filter(organisation_id__in=organisation_ids)
    channels = channels.order_by(persian_order("organisation__name"), "kind", "handle")
    found = []
    for channel in channels:
        connection = getattr(channel, "connection", None)
        found.append(
            StalledChannel(
                channel=channel,
                never_connected=connection is None,
                stopped=channel.stopped,
                error=connection.last_error if connection else "",
            )
        )
    return found
