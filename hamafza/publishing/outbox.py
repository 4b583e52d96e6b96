"""The outbox: workers claim due deliveries with a lease, send them outside any
transaction, and record what happened. The promise is *nothing lost, nothing sent twice*:

1. **Claim** (one short transaction): due rows become `leased` by this worker's claim
   token, with a lease deadline and one more attempt. PostgreSQL picks them with
   `SELECT … FOR UPDATE SKIP LOCKED`; SQLite with a conditional UPDATE per row (its
   writers are serialised anyway). A claim token (worker id + random suffix) fences out a
   worker whose lease was taken from it.
2. **Mark** (autocommit, just before the request): `sending_started_at` is written and
   committed, conditional on the lease still being ours and unexpired. From here on the
   request may have reached the platform.
3. **Send** outside any transaction, through the channel's adapter, after taking a slot
   from the shared rate gates (ratelimit.py).
4. **Record** (one short transaction): only if the row is still ours (same claim token).
   A late answer still counts if the sweeper meanwhile marked the row unconfirmed.

The **sweeper** looks at leases that expired (a worker died or hung): a row whose request
never started goes back to the queue; a row whose `sending_started_at` is set becomes
UNCONFIRMED, for a person to check (delivery_resolve), because messenger APIs take no
idempotency key and a blind resend could post twice.
"""

from __future__ import annotations

import logging
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from hamafza.core.audit import audit
from hamafza.core.workers import DATABASE_TROUBLE
from hamafza.network.models import ChannelKind
from hamafza.persian.digits import format_number

from . import formatting, limits, ratelimit, states
from .alerts import alert_broken_connection
from .links import photo_public_url, post_public_url
from .models import (
    CLAIMABLE,
    OPEN_STATES,
    ChannelConnection,
    ConnectionState,
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
from .platforms.base import (
    PIN_AFTER,
    Adapter,
    Message,
    Outcome,
    Part,
    Platform,
    Result,
    SentPart,
    plan,
    remaining,
    unknown_layout,
)
from .platforms.registry import IN_PROCESS_KINDS, platform_for
from .platforms.registry import adapter_for as default_adapter_for
from .tokens import decrypt_token

logger = logging.getLogger(__name__)

WORKER_KIND = "outbox"  # `hamafza outbox`, as /healthz/workers names it
MAX_ATTEMPTS = 8
BACKOFF_BASE = 5.0  # seconds
BACKOFF_CAP = 15 * 60.0
GATE_MAX_SLEEP = 0.9  # longer than this, the row goes back to the queue instead
LATER_PART_MAX_SLEEP = 0.05  # the same for a later part of a post, held by its channel's gap
# A worker that wakes, or gets through marking the row, this much after its slot records
# the moment it really leaves (the platform counts it then, not at the slot; ratelimit.moved).
LATE_SEND = 0.01
# An answer later than this after that moment moves the record to the answer (_answered).
LATE_ANSWER = 0.02
# Later than this, a slot handed out meanwhile (at most GATE_MAX_SLEEP ahead) may already
# count on this request having left its window (a second, and a margin): take a new slot.
LATE_MOVE_MAX = 0.15
WAIT_FOR_ORIGINAL = 30.0  # an edit waits this long for its original's send to settle

AdapterFactory = Callable[[object, ChannelConnection], Adapter]


def lease_seconds() -> float:
    """Long enough for the adapter's timeout and then some: a live worker's send must not
    look dead."""
    return float(getattr(settings, "PUBLISHING_LEASE_SECONDS", 120))


# -- backoff --------------------------------------------------------------------------


def backoff_seconds(attempt: int, *, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base·2^(attempt-1))]."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(attempt - 1, 0))
    return (rng or random).uniform(0, ceiling)


def retry_delay(
    attempt: int, retry_after: float | None, *, rng: random.Random | None = None
) -> float:
    """The platform's own `retry_after`, when it gave one, is a floor under our backoff."""
    return max(float(retry_after or 0), backoff_seconds(attempt, rng=rng))


# -- claim ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    pk: int
    token: str


def _claim_token(worker_id: str) -> str:
    return f"{worker_id[:54]}#{secrets.token_hex(4)}"


def claim(worker_id: str, *, limit: int = 10, lease: float | None = None) -> list[Claim]:
    """Lease up to `limit` due rows to this worker."""
    now = timezone.now()
    token = _claim_token(worker_id)
    leased = {
        "lease_until": now + timedelta(seconds=lease or lease_seconds()),
        "leased_by": token,
        "attempts": F("attempts") + 1,
        "sending_started_at": None,
    }
    due = Delivery.objects.filter(state__in=CLAIMABLE, due_at__lte=now).order_by(
        "-goes_first", "due_at", "pk"
    )
    if connection.vendor == "postgresql":
        with transaction.atomic():
            pks = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
            if pks:
                states.CLAIM.move(Delivery.objects.filter(pk__in=pks), **leased)
    else:
        # SQLite: a conditional UPDATE per candidate; whoever's UPDATE matched has it.
        pks = [
            pk
            for pk in due.values_list("pk", flat=True)[:limit]
            if states.CLAIM.move(Delivery.objects.filter(pk=pk, due_at__lte=now), **leased)
        ]
    return [Claim(pk, token) for pk in pks]


def seconds_until_due(limit: float) -> float:
    """How long an idle worker may sleep: until the next row falls due, at most `limit`
    (so a scheduled post goes out on time, and nobody polls in a tight loop)."""
    nxt = (
        Delivery.objects.filter(state__in=CLAIMABLE)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if nxt is None:
        return limit
    return min(limit, max((nxt - timezone.now()).total_seconds(), 0.005))


def _ours(claim_: Claim, *in_states: str):
    return Delivery.objects.filter(
        pk=claim_.pk, leased_by=claim_.token, state__in=in_states or [DeliveryState.LEASED]
    )


def release(claim_: Claim, *, due_at: datetime, note: str = "") -> bool:
    """Give a claimed row back (a rate gate or its original said "later"): the attempt
    did not happen and is not counted. Parts of it already sent stay recorded."""
    values: dict = {"due_at": due_at, "sending_started_at": None}
    if note:
        values["last_error"] = note
    return bool(states.give_back(_ours(claim_), **values))


def mark_sending(claim_: Claim, *, lease: float | None = None) -> bool:
    """Commit, before the request goes out, that it may go out. False: the lease is no
    longer ours (it expired and the sweeper took the row back), so do not send."""
    now = timezone.now()
    return bool(
        _ours(claim_)
        .filter(lease_until__gt=now, sending_started_at__isnull=True)
        .update(
            sending_started_at=now, lease_until=now + timedelta(seconds=lease or lease_seconds())
        )
    )


def keep_parts(claim_: Claim, parts: list[SentPart], *, lease: float | None = None) -> bool:
    """A part went out and more follow: record it (and renew the lease) before the next
    request, so that whatever happens next, it is never sent again. From now on the row
    goes ahead of new posts: readers have its photos and wait for its text."""
    now = timezone.now()
    return bool(
        _ours(claim_, *states.IN_HAND).update(
            parts=[p.as_json() for p in parts],
            goes_first=True,
            lease_until=now + timedelta(seconds=lease or lease_seconds()),
        )
    )


def keep_prepared(claim_: Claim, prepared: str, *, lease: float | None = None) -> bool:
    """What the platform made ready for this row (Instagram's media container) exists:
    record it (and renew the lease) before anything else, so that whatever happens
    next, the next attempt goes on from it instead of making another ("" forgets it)."""
    now = timezone.now()
    return bool(
        _ours(claim_, *states.IN_HAND).update(
            prepared=prepared[:200], lease_until=now + timedelta(seconds=lease or lease_seconds())
        )
    )


# -- sweep ----------------------------------------------------------------------------


def sweep() -> dict[str, int]:
    """Deal with leases that expired. Safe to run from every worker at any time."""
    now = timezone.now()
    expired = Delivery.objects.filter(state=DeliveryState.LEASED, lease_until__lt=now)
    returned = states.give_back(expired.filter(sending_started_at__isnull=True))
    # The request may have gone out: a person checks. `leased_by` stays, so the worker
    # (if it is alive after all) can still record the answer it gets.
    started = list(expired.filter(sending_started_at__isnull=False).values_list("pk", "post_id"))
    unconfirmed = 0
    if started:
        unconfirmed = states.LOST_TRACK.move(
            Delivery.objects.filter(
                pk__in=[pk for pk, _post in started],
                lease_until__lt=now,
                sending_started_at__isnull=False,
            ),
            last_error=_("کارگزار ارسال در میانه ارسال از کار افتاد؛ شاید پیام رفته باشد."),
        )
        for post_id in {post for _pk, post in started}:
            with transaction.atomic():
                _settle_post(Post.objects.select_for_update().get(pk=post_id))
    if returned or unconfirmed:
        logger.warning("outbox sweep: %s back to the queue, %s unconfirmed", returned, unconfirmed)
    return {"returned": returned, "unconfirmed": unconfirmed}


def release_unstarted(worker_id: str) -> int:
    """Give back the rows this worker claimed but never began to send (its batch, when the
    database went away mid-batch), so they need not wait for their lease to expire."""
    mine = Delivery.objects.filter(
        state=DeliveryState.LEASED,
        leased_by__startswith=_claim_token(worker_id).split("#")[0] + "#",
        sending_started_at__isnull=True,
    )
    return states.give_back(mine)


# -- messages -------------------------------------------------------------------------


def _original_post(delivery: Delivery) -> Post:
    post = delivery.post
    return post.correction_of if post.kind == PostKind.CORRECTION and post.correction_of else post


def build_message(
    delivery: Delivery, platform: Platform, *, original: Delivery | None = None
) -> Message:
    """What a channel gets, the one place it is made: the text rendered in the platform's
    formatting style (formatting.py) and cut to its limit as the platform counts (the
    link to the site always kept), and for a publication its photos. An edit renders the
    same way, so the edited message keeps its formatting."""
    post = delivery.post
    original_post = _original_post(delivery)
    link = post_public_url(original_post)
    limit = platform.text_limit
    style = platform.formatting
    if delivery.operation == Operation.CORRECTION:
        where = (original.remote_url if original else "") or link
        if post is original_post:  # a withdrawal notice
            head = _("این خبر پس گرفته شد: «{title}»").format(title=post.title)
            content = formatting.text_doc(post.review_comment)
        else:
            head = _("اصلاحیه: «{title}»").format(title=post.title)
            content = (
                formatting.text_doc(post.lead)
                if post.lead.strip()
                else formatting.parse(limits.body_text(post.body))
            )
        tail = _("خبر پیشین: {url}").format(url=where)
        rendering = formatting.fit(
            content,
            style,
            length=platform.length,
            limit=limit,
            head=formatting.text_doc(head),
            tail=formatting.text_doc(tail),
        )
        return rendered_message(rendering, link=where)

    if hasattr(delivery, "channel_variant") and original_post is post:
        variant = delivery.channel_variant  # loaded with the row
    else:
        variant = (
            PostTarget.objects.filter(post=original_post, channel_id=delivery.channel_id)
            .values_list("variant_text", flat=True)
            .first()
        )
    rendering = channel_rendering(original_post, platform, variant=variant or "", link=link)
    if delivery.operation != Operation.PUBLISH:
        return rendered_message(rendering, link=link)  # an edit changes the words only
    options = {"silent": original_post.silent, "pin": original_post.pin}
    photos, names, urls = [], [], []
    if getattr(delivery, "post_has_photos", True):
        photos, names, urls = _photos(original_post, platform)
    if getattr(delivery, "post_has_attachment", True):
        options.update(_attachment(original_post, platform))
    return rendered_message(
        rendering, photos=photos, photo_names=names, photo_urls=urls, link=link, **options
    )


def channel_rendering(post: Post, platform: Platform, *, variant: str, link: str):
    """The post's text for one channel, as the outbox sends it (and the post page
    previews it): the channel's own text, or the title, the lead or the body, the link."""
    return formatting.channel_message(
        platform.formatting,
        length=platform.length,
        limit=platform.text_limit,
        title=post.title,
        lead=post.lead,
        body=limits.body_text(post.body),
        variant=variant,
        link=link,
    )


def rendered_message(rendering: formatting.Rendering, **values) -> Message:
    return Message(
        text=rendering.text,
        counted=rendering.counted,
        parse_mode=rendering.parse_mode,
        entities=rendering.entities,
        **values,
    )


def _attachment(post: Post, platform: Platform) -> dict:
    """The post's video or document as a Message's fields, where the platform takes it
    (the composer refused the post for a channel that does not, or not at this size)."""
    item = PostAttachment.objects.filter(post=post).first()
    if item is None or not platform.takes(item.kind):
        return {}
    if platform.max_file_bytes and item.size > platform.max_file_bytes:
        return {}
    try:
        with item.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        logger.warning("the %s of post %s is missing", item.kind, post.pk)
        return {}
    return {
        "attachment": data,
        "attachment_name": item.name,
        "attachment_kind": item.kind,
        "attachment_type": item.content_type,
    }


def _photos(post: Post, platform: Platform) -> tuple[list[bytes], list[str], list[str]]:
    """The photos' bytes and names, and for a platform that fetches them itself their
    public addresses."""
    count = platform.max_album if platform.albums else 1
    photos, names, urls = [], [], []
    for photo in post.photos.all()[:count]:
        try:
            with photo.image.open("rb") as handle:
                photos.append(handle.read())
            names.append(photo.image.name.rsplit("/", 1)[-1])
            if platform.photos_by_url:
                urls.append(photo_public_url(photo.image))
        except OSError:
            logger.warning("photo %s of post %s is missing", photo.pk, post.pk)
    return photos, names, urls


# -- the worker -----------------------------------------------------------------------


def _loaded(claims: list[Claim]) -> dict[int, Delivery]:
    """The claimed rows still ours, with what sending them reads: the post, the channel
    and its connection, the channel's own text and whether the post has photos."""
    if not claims:
        return {}
    ours = Q()
    for claim_ in claims:
        ours |= Q(pk=claim_.pk, leased_by=claim_.token)
    rows = (
        Delivery.objects.filter(ours, state=DeliveryState.LEASED)
        .select_related("post", "post__correction_of", "channel", "channel__connection")
        .annotate(
            channel_variant=Subquery(
                PostTarget.objects.filter(
                    post_id=OuterRef("post_id"), channel_id=OuterRef("channel_id")
                ).values("variant_text")[:1]
            ),
            post_has_photos=Exists(PostPhoto.objects.filter(post_id=OuterRef("post_id"))),
            post_has_attachment=Exists(PostAttachment.objects.filter(post_id=OuterRef("post_id"))),
        )
    )
    return {row.pk: row for row in rows}


class Outbox:
    """One worker's view of the outbox. `adapter_for(channel, connection)` builds the
    adapter (tests pass their own); `sleep` is injectable so tests need not wait."""

    def __init__(
        self,
        worker_id: str,
        *,
        adapter_for: AdapterFactory | None = None,
        lease: float | None = None,
        batch: int = 10,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.worker_id = worker_id
        self.adapter_for = adapter_for or default_adapter_for
        self.lease = lease
        self.batch = batch
        self.sleep = sleep
        self.last_progress = time.monotonic()  # a stuck worker stops its heartbeat by it

    def run_once(self) -> int:
        """Claim one batch and process it; the number of rows claimed."""
        self.last_progress = time.monotonic()
        claims = claim(self.worker_id, limit=self.batch, lease=self.lease)
        loaded = _loaded(claims)  # the batch's rows in one query
        for claim_ in claims:
            self.last_progress = time.monotonic()
            try:
                self.process(claim_, loaded.get(claim_.pk))
            except DATABASE_TROUBLE:
                raise  # not this row's fault: the worker waits for the database
            except Exception:  # one bad row must not stop the worker
                logger.exception("outbox: delivery %s", claim_.pk)
                self._record_unexpected(claim_)
        return len(claims)

    def drain(self) -> int:
        """Process until nothing is due now."""
        total = 0
        while n := self.run_once():
            total += n
        return total

    # -- one row ------------------------------------------------------------------

    def process(self, claim_: Claim, delivery: Delivery | None = None) -> str:
        """Send one claimed row (loaded by the caller, or here) and record what happened."""
        if delivery is None:
            delivery = _loaded([claim_]).get(claim_.pk)
        if delivery is None:
            return "lost"
        if _withdrawn(delivery):
            cancel(claim_, _("مطلب پس گرفته شده است؛ فرستاده نمی‌شود."))
            return "cancelled"
        if delivery.channel.kind in IN_PROCESS_KINDS:
            record(claim_, self._in_process(delivery), delivery=delivery)
            return "sent"

        original = None
        if delivery.operation != Operation.PUBLISH:
            original, verdict = self._original_for(delivery)
            if verdict == "wait":
                release(
                    claim_,
                    due_at=timezone.now() + timedelta(seconds=WAIT_FOR_ORIGINAL),
                    note=_("در انتظار روشن شدن وضعیت ارسال اصلی"),
                )
                return "waiting"
            if verdict == "cancel":
                cancel(claim_, _("ارسال اصلی به این کانال نرفته است؛ کاری لازم نیست."))
                return "cancelled"

        conn = getattr(delivery.channel, "connection", None)
        token = decrypt_token(conn.token_encrypted) if conn else ""
        if conn is None or conn.state == ConnectionState.BROKEN or not token:
            why = (
                _("این کانال به ربات وصل نشده است.")
                if conn is None
                else conn.last_error or _("توکن ربات خوانا نیست؛ دوباره وصل کنید.")
            )
            record(
                claim_,
                Result(Outcome.CREDENTIALS, error=why),
                alert=conn is not None,
                delivery=delivery,
            )
            return "credentials"

        adapter = self.adapter_for(delivery.channel, conn)
        platform = adapter.platform
        try:
            message = build_message(delivery, platform, original=original)
        except Exception as exc:  # nothing went out: a permanent fault of this content
            logger.exception("outbox: building delivery %s", delivery.pk)
            record(claim_, Result(Outcome.FAILED, error=f"message: {exc}"), delivery=delivery)
            return "failed"
        gates = ratelimit.gates_for(
            platform=platform,
            base_url=adapter.base_url,
            token=token,
            channel_id=delivery.channel_id,
        )
        if delivery.operation == Operation.PUBLISH:
            return self._publish(claim_, delivery, adapter, message, gates)
        waiting = self._slot(claim_, gates, messages=1)
        if isinstance(waiting, str):
            return waiting
        layout = _layout(original)
        try:
            if delivery.operation == Operation.EDIT:
                result = adapter.edit(layout, message)
            elif delivery.operation == Operation.DELETE:
                result = adapter.delete(layout)
            else:
                result = adapter.publish(message)
        except Exception as exc:  # the request may have gone out: never resend blindly
            logger.exception("outbox: adapter raised for delivery %s", delivery.pk)
            result = Result(Outcome.UNCONFIRMED, error=f"{type(exc).__name__}: {exc}")
        self._hold_back(gates, result)
        record(claim_, result, delivery=delivery)
        return str(result.outcome)

    def _publish(self, claim_, delivery, adapter, message, gates) -> str:
        """Send the parts not yet out, each after its own rate slot, recording each as it
        goes; a part that fails ends this attempt with the others kept."""
        sent = [SentPart.from_json(p) for p in delivery.parts]
        parts = plan(adapter.platform, message)
        parts = remaining(parts, sent, message)  # what went out in an earlier attempt stays out
        result = Result(Outcome.SENT)
        if adapter.platform.keeps_prepared:
            # What an earlier attempt made ready (a container) is gone on from; what this
            # one makes is recorded the moment it exists.
            adapter.keep_prepared = lambda made: keep_prepared(claim_, made, lease=self.lease)
            if parts and delivery.prepared:
                parts[0] = replace(parts[0], prepared=delivery.prepared)
        pinned: Result | None = None  # what became of a pin asked for, in this attempt
        for index, part in enumerate(parts):
            part = adapter.prepare(part, message)  # an upload first, where there is one
            if isinstance(part, Result):
                result = part
                self._hold_back(gates, result)
                break
            # A later part must wait out the channel's gap after the one before: rather
            # than hold a worker for it, the row goes back to the queue until then, its
            # parts so far kept.
            waiting = self._slot(
                claim_,
                gates,
                messages=part.messages,
                mark=index == 0,
                max_wait=GATE_MAX_SLEEP if index == 0 else LATER_PART_MAX_SLEEP,
            )
            if isinstance(waiting, str):
                return waiting
            try:
                result = adapter.send(part, message)
            except Exception as exc:  # the request may have gone out: never resend blindly
                logger.exception("outbox: adapter raised for delivery %s", delivery.pk)
                result = Result(Outcome.UNCONFIRMED, error=f"{type(exc).__name__}: {exc}")
            self._hold_back(gates, result)
            if result.outcome != Outcome.SENT:
                break
            self._answered(gates, waiting, part.messages)
            sent.append(SentPart.of(part, message, result.remote_id))
            if part.pin:  # pinned by the posting request itself (Eitaayar's flag)
                pinned = Result(Outcome.SENT)
            more = index + 1 < len(parts) or self._pin_after(adapter, message, parts)
            if more and not keep_parts(claim_, sent, lease=self.lease):
                return "lost"
        if result.outcome == Outcome.SENT and self._pin_after(adapter, message, parts):
            pinned = self._pin(adapter, sent, message)
        record(claim_, result, delivery=delivery, parts=sent, adapter=adapter, pin=pinned)
        return str(result.outcome)

    @staticmethod
    def _pin_after(adapter, message: Message, parts: list[Part]) -> bool:
        """Whether this attempt pins the post with a call of its own once its parts are
        out: asked for, a platform that pins that way, and parts to send (the attempt that
        completes the post pins it; the delivery is then sent, and never tried again)."""
        return bool(parts) and message.pin and adapter.platform.pin == PIN_AFTER

    def _pin(self, adapter, sent: list[SentPart], message: Message) -> Result:
        """Pin the post's first message. Whatever the answer, the post is out: a refusal
        is kept as a note, never a reason to send the post again."""
        ids = [i for p in sent for i in p.ids]
        if not ids:
            return Result(Outcome.FAILED, error="no message id to pin")
        try:
            return adapter.pin_message(ids[0], message)
        except Exception as exc:  # the post went out; the pin is only a nicety
            logger.exception("outbox: pinning %s", ids[0])
            return Result(Outcome.FAILED, error=f"{type(exc).__name__}: {exc}")

    def _slot(
        self, claim_, gates, *, messages: int, mark: bool = True, max_wait: float = GATE_MAX_SLEEP
    ) -> str | datetime:
        """Wait for a rate slot and (`mark`) commit that the request is going out: the
        moment the gates hold for it when it may go, else what became of the row (given
        back until the slot, or lost). Parts sent before the row was given back stay
        recorded."""
        slot = ratelimit.take(gates, messages=messages, max_wait=max_wait)
        if not slot.ok:
            release(claim_, due_at=slot.at)
            return "deferred"
        self._sleep_until(slot.at)
        if mark and not mark_sending(claim_, lease=self.lease):
            return "lost"
        late = (timezone.now() - slot.at).total_seconds()
        if late > LATE_MOVE_MAX:  # slots after it may count on it having gone: a new one
            slot = ratelimit.take(gates, messages=messages, max_wait=max_wait)
            if not slot.ok:
                release(claim_, due_at=slot.at)  # nothing went: the mark is undone too
                return "deferred"
            self._sleep_until(slot.at)
            late = (timezone.now() - slot.at).total_seconds()
        if late > LATE_SEND:
            actual = timezone.now() + timedelta(seconds=LATE_SEND)
            ratelimit.moved(gates, slot=slot.at, actual=actual, messages=messages)
            return actual
        return slot.at

    @staticmethod
    def _answered(gates, recorded: datetime, messages: int) -> None:
        """The platform counted the request when it reached it: after it left, before it
        answered. An answer this long after the moment the gates hold moves that moment to
        the answer, the latest the platform can have counted it (a loaded machine, a slow
        upload): the next part's gap and the bot's window then run from there."""
        now = timezone.now()
        if (now - recorded).total_seconds() > LATE_ANSWER:
            ratelimit.moved(gates, slot=recorded, actual=now, messages=messages)

    def _sleep_until(self, at: datetime) -> None:
        wait = (at - timezone.now()).total_seconds()
        if wait > 0:
            self.sleep(wait)

    @staticmethod
    def _hold_back(gates, result: Result) -> None:
        if result.outcome == Outcome.RETRY and result.retry_after:
            ratelimit.push(gates, timezone.now() + timedelta(seconds=result.retry_after))

    def _in_process(self, delivery: Delivery) -> Result:
        """The website and the feeds are ours: the record itself is the send."""
        if delivery.channel.kind == ChannelKind.RSS:
            return Result(Outcome.SENT)
        return Result(Outcome.SENT, remote_url=post_public_url(_original_post(delivery)))

    def _original_for(self, delivery: Delivery) -> tuple[Delivery | None, str]:
        """The publish delivery an edit, delete or correction refers to, and whether to go
        ahead ("go"), come back later ("wait") or drop this one ("cancel")."""
        original = Delivery.objects.filter(
            post=_original_post(delivery),
            channel_id=delivery.channel_id,
            operation=Operation.PUBLISH,
        ).first()
        if original is None:
            return None, "cancel"
        if original.state == DeliveryState.SENT:
            if delivery.operation in (Operation.EDIT, Operation.DELETE) and not original.remote_id:
                return original, "cancel"
            return original, "go"
        if original.state in (DeliveryState.LEASED, DeliveryState.UNCONFIRMED):
            return original, "wait"
        if delivery.operation == Operation.DELETE and original.parts:
            return original, "go"  # cut short, but what went out is taken down
        # Still queued (it will carry the corrected text), failed or cancelled: nothing to fix.
        return original, "cancel"

    def _record_unexpected(self, claim_: Claim) -> None:
        """A bug in our own code: if the request had started, a person checks; if not,
        the row is given back for a later attempt."""
        row = _ours(claim_).first()
        if row is None:
            return
        outcome = Outcome.UNCONFIRMED if row.sending_started_at else Outcome.RETRY
        record(claim_, Result(outcome, error="internal error; see the worker's log"))


# A delivery that ends badly is audited; the codes written out, so each has its label.
DELIVERY_ACTIONS = {
    DeliveryState.FAILED: "publishing.delivery.failed",
    DeliveryState.UNCONFIRMED: "publishing.delivery.unconfirmed",
    DeliveryState.TOO_LATE: "publishing.delivery.too_late",
}


def _layout(original: Delivery | None) -> list[SentPart]:
    """How the original went out: its parts, or for a row from before parts were kept,
    its ids in an unknown layout."""
    if original is None:
        return []
    if original.parts:
        return [SentPart.from_json(p) for p in original.parts]
    return unknown_layout(original.remote_id)


# -- record ---------------------------------------------------------------------------


def cancel(claim_: Claim, why: str) -> bool:
    return bool(states.DROPPED.move(_ours(claim_), last_error=why, lease_until=None, leased_by=""))


# What recording an outcome writes: one conditional UPDATE of these, only if the row is
# still ours.
RECORDED = (
    "state",
    "attempts",
    "lease_until",
    "leased_by",
    "last_error",
    "sent_at",
    "remote_id",
    "remote_url",
    "parts",
    "due_at",
    "sending_started_at",
    "pinned_at",
    "pin_note",
)


def record(
    claim_: Claim,
    result: Result,
    *,
    alert: bool = True,
    delivery: Delivery | None = None,
    parts: list[SentPart] | None = None,
    adapter: Adapter | None = None,
    pin: Result | None = None,
) -> bool:
    """Write the outcome, only if the row is still ours. One short transaction: the post
    row is locked first, so that the last delivery of a post to finish sees all others;
    then the row moves in one conditional UPDATE. `delivery`: the row as the worker loaded
    it (a row in hand changes only through its worker, or leaves its hands for good);
    `parts`: what of a publication went out (all of it when the result is SENT); `pin`:
    what became of pinning it, when this attempt pinned it."""
    now = timezone.now()
    with transaction.atomic():
        row = delivery or _ours(claim_, *states.IN_HAND).select_related("channel").first()
        if row is None:
            return False
        post = Post.objects.select_for_update().filter(pk=row.post_id).first()
        if post is None:
            return False
        if parts is not None:
            _keep_sent(row, parts, adapter)
        fallback = _apply_outcome(row, result, now=now)
        pin_refused = pin is not None and _keep_pin(row, pin, now=now)
        moved = _ours(claim_, *states.IN_HAND).update(**{f: getattr(row, f) for f in RECORDED})
        if not moved:  # the row left our hands meanwhile (a person resolved it)
            return False
        if row.state == DeliveryState.CREDENTIALS and alert:
            _connection_broken(row, result.error)
        if fallback:
            Delivery.objects.bulk_create(
                [fallback],
                ignore_conflicts=True,  # a correction for this pair may exist
            )
        if pin_refused:
            audit(
                actor=None,
                action="publishing.delivery.pin_failed",
                target=row,
                organisation_id=post.organisation_id,
                data={"error": pin.error[:500]},
            )
        if row.state in DELIVERY_ACTIONS:
            audit(
                actor=None,
                action=DELIVERY_ACTIONS[row.state],
                target=row,
                organisation_id=post.organisation_id,
                data={"error": row.last_error[:500], "attempts": row.attempts},
            )
        before = (post.status, post.published_at)
        if row.state == DeliveryState.SENT and row.operation == Operation.PUBLISH:
            if post.status == PostStatus.APPROVED:
                states.SENDING.apply(post)
            if row.channel.kind == ChannelKind.WEBSITE and post.published_at is None:
                post.published_at = now
        _settle_post(post, dirty=(post.status, post.published_at) != before)
    return True


def _keep_pin(row: Delivery, pin: Result, *, now: datetime) -> bool:
    """Note what became of the pin; True when the platform refused it."""
    if pin.outcome == Outcome.SENT:
        row.pinned_at, row.pin_note = now, ""
        return False
    row.pinned_at = None
    note = _("مطلب رفت اما سنجاق نشد؛ اگر لازم است آن را در خود کانال سنجاق کنید.")
    if pin.outcome == Outcome.CREDENTIALS:
        note = _(
            "مطلب رفت اما سنجاق نشد: ربات اجازه سنجاق کردن در این کانال را ندارد؛"
            " این اجازه را به آن بدهید یا مطلب را در خود کانال سنجاق کنید."
        )
    row.pin_note = f"{note} ({pin.error[:300]})"
    return True


def _keep_sent(row: Delivery, parts: list[SentPart], adapter: Adapter | None) -> None:
    """The parts that went out, and the ids people see (even of a post cut short, so that
    a withdrawal can take them down)."""
    row.parts = [p.as_json() for p in parts]
    ids = [i for p in parts for i in p.ids]
    if ids:
        row.remote_id = ",".join(ids)[:200]
        row.remote_url = (adapter.post_url(ids[0]) if adapter else "")[:500]


def _apply_outcome(row: Delivery, result: Result, *, now: datetime):
    """Move the row by the outcome; returns a new correction row to create when an edit
    or a delete was refused (the fix then goes out as a correction message)."""
    outcome = result.outcome
    row.lease_until = None
    row.last_error = result.error[:2000]
    if outcome == Outcome.SENT:
        states.DELIVERED.apply(row, sent_at=now, leased_by="")
        if result.remote_id and not row.parts:
            row.remote_id = result.remote_id[:200]
        if result.remote_url and not row.remote_url:
            row.remote_url = result.remote_url[:500]
        row.last_error = ""
    elif outcome == Outcome.WAIT:
        # The platform's quota is full (Instagram's posts a day): the row waits its turn,
        # and the attempt it was claimed for does not count, so it never fails for it.
        delay = float(result.retry_after or BACKOFF_CAP)
        states.TRY_LATER.apply(
            row,
            due_at=now + timedelta(seconds=delay),
            attempts=max(row.attempts - 1, 0),
            leased_by="",
            sending_started_at=None,
        )
    elif outcome == Outcome.RETRY and row.attempts < MAX_ATTEMPTS:
        delay = retry_delay(row.attempts, result.retry_after)
        states.TRY_LATER.apply(
            row, due_at=now + timedelta(seconds=delay), leased_by="", sending_started_at=None
        )
    elif outcome == Outcome.RETRY:
        states.REFUSED.apply(
            row, last_error=_("پس از {n} تلاش: {error}").format(n=row.attempts, error=result.error)
        )
    elif outcome in (Outcome.FAILED, Outcome.TOO_LATE):
        if outcome == Outcome.TOO_LATE:
            states.TOO_LATE.apply(row, last_error=_too_late_note(row, result.error))
        else:
            states.REFUSED.apply(row)
        if row.operation in (Operation.EDIT, Operation.DELETE):
            # Nothing changed on the platform: the fix goes out as a correction message.
            return Delivery.fixing(
                post_id=row.post_id,
                channel_id=row.channel_id,
                operation=Operation.CORRECTION,
                due_at=now,
            )
    elif outcome == Outcome.CREDENTIALS:
        states.CONNECTION_BROKEN.apply(row, leased_by="", sending_started_at=None)
    elif row.state != DeliveryState.UNCONFIRMED:
        states.LOST_TRACK.apply(row)
    return None


def _too_late_note(row: Delivery, error: str) -> str:
    """Why the platform refused: a delete past its window (Telegram's 48 hours), or an
    edit it no longer takes (not a matter of age on Telegram)."""
    platform = platform_for(row.channel.kind)
    window = platform.delete_window if platform else None
    name = row.channel.get_kind_display()
    if row.operation == Operation.DELETE and window:
        hours = format_number(int(window.total_seconds() // 3600))
        note = _(
            "{platform} حذف پیام را تنها تا {hours} ساعت پس از ارسال می‌پذیرد؛"
            " به جای آن اطلاعیه فرستاده می‌شود."
        ).format(platform=name, hours=hours)
    else:
        what = _("حذف") if row.operation == Operation.DELETE else _("ویرایش")
        note = _(
            "{platform} دیگر {what} این پیام را نمی‌پذیرد؛ به جای آن اطلاعیه فرستاده می‌شود."
        ).format(platform=name, what=what)
    return f"{note} ({error[:300]})"


def _settle_post(post: Post, *, dirty: bool = False) -> None:
    """Call inside a transaction holding the post's row lock. Approved → sending as soon
    as something went out; → sent once none of its deliveries is still on its way.
    `dirty`: the caller already changed the post's status or published_at in memory."""
    before = (post.status, post.published_at)
    if post.published_at and post.status == PostStatus.APPROVED:
        states.SENDING.apply(post)
    operations = (
        [Operation.PUBLISH]
        if post.kind != PostKind.CORRECTION or not post.correction_of_id
        else [Operation.EDIT, Operation.CORRECTION, Operation.DELETE]
    )
    if post.status in (PostStatus.APPROVED, PostStatus.SENDING):
        open_or_sent = set(
            Delivery.objects.filter(
                post=post, operation__in=operations, state__in=[*OPEN_STATES, DeliveryState.SENT]
            )
            .values_list("state", flat=True)
            .distinct()
        )
        if open_or_sent == {DeliveryState.SENT}:
            states.ALL_OUT.apply(post)
            if post.kind == PostKind.CORRECTION and post.published_at is None:
                # A correction has no website delivery of its own: it is on the site
                # (beside its original) once it has gone out.
                post.published_at = timezone.now()
    if (post.status, post.published_at) != before or dirty:
        Post.objects.filter(pk=post.pk).update(status=post.status, published_at=post.published_at)


def _connection_broken(row: Delivery, error: str) -> None:
    """The first failure on a connection marks it broken and alerts the organisation's
    PR managers; the rest of its rows just wait for the reconnection."""
    changed = ChannelConnection.objects.filter(
        channel_id=row.channel_id, state=ConnectionState.OK
    ).update(state=ConnectionState.BROKEN, last_error=error[:2000], updated_at=timezone.now())
    if changed:
        alert_broken_connection(row.channel, error)


def _withdrawn(delivery: Delivery) -> bool:
    """A publish or an edit of a post taken back must not go out, however long it waited
    in the queue (a retry, a repaired connection, a person's "send again"); only the
    deletion or the withdrawal notice still goes."""
    if delivery.operation not in (Operation.PUBLISH, Operation.EDIT):
        return False
    post = delivery.post
    original = post.correction_of or post
    return PostStatus.WITHDRAWN in (post.status, original.status)
