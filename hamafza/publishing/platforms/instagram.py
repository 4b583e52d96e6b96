"""Instagram, through the Graph API's content publishing (an Instagram professional
account; https://graph.facebook.com/<version>/... with a Facebook Login token, or the
same calls at https://graph.instagram.com with an Instagram Login one; the version from
settings INSTAGRAM_GRAPH_VERSION). Instagram takes no file: it fetches each photo itself from its
public address on our site (PUBLIC_SITE_URL + the photo's media URL, answered by the media
gate while the post is going out or on the site).

Confirmed from Meta's documentation (developers.facebook.com/docs/instagram-platform:
content-publishing, reference/ig-user/media, ig-user/media_publish, ig-container,
ig-user/content_publishing_limit, reference/error-codes) and the clients people use
(restfb's content_publishing_limit issue, the classifiers of several open schedulers):
- a post in two steps: ``POST /{ig-user-id}/media`` {image_url, caption} makes a *media
  container* -> {"id"}; ``POST /{ig-user-id}/media_publish`` {creation_id} posts it ->
  {"id": the media id}. A carousel: one container per photo {image_url,
  is_carousel_item=true}, then one {media_type=CAROUSEL, children=<ids, comma-joined>,
  caption}, which is published. A carousel counts as one post;
- ``GET /{container-id}?fields=status_code,status``: IN_PROGRESS, FINISHED, ERROR (status
  says why), EXPIRED (not published within 24 hours), PUBLISHED. Publishing before
  FINISHED is refused with code 9007, subcode 2207027 ("Media ID is not available");
- ``GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config`` -> {"data":
  [{"quota_usage": N, "config": {"quota_total": T, "quota_duration": 86400}}]}; at the cap,
  media_publish answers code 9, subcode 2207042;
- failures are ``{"error": {"message", "type", "code", "error_subcode", "is_transient",
  "fbtrace_id"}}``: 190 (OAuthException) a bad or expired token; 10 and 200-299 a missing
  permission; 100 with subcode 33 an id that does not exist or that the token cannot
  reach: these break the connection. 4, 17, 32 and 613 are rate limits (no retry_after
  is given); 1, 2, -1, -2 and is_transient are passing troubles; 2207020 an expired
  container (a new one is made). Anything else refuses this post: 9004/2207052 the image
  could not be fetched from its URL, 36003/2207009 an aspect ratio outside 4:5-1.91:1,
  36000/2207004 an image over 8 MiB;
- a caption of at most 2,200 characters and 30 hashtags; no way to edit a caption or to
  delete a post through content publishing: a correction or withdrawal leaves a note
  for a person to do it by hand in Instagram.

The 24-hour cap: the current content-publishing page says 100 API-published posts in a
moving 24 hours (older pages and many clients say 25, some 50). The adapter does not
assume either: it reads quota_usage and quota_total before every publication and waits
(Outcome.WAIT, the delivery never fails for it) while the account is full; 100 is only
the figure when the answer gives no total.

Kept on the delivery: the container id, as soon as it exists (keeps_prepared). A retry
after a crash asks that container's status and publishes *it*, so a post never goes out
twice: a container is published at most once, and one already PUBLISHED is recorded as
sent. A media_publish that got no answer is looked up the same way.

Not confirmed, and chosen: the HTTP statuses of the failures (the API's code is read,
whatever the status); how lengths are counted (UTF-16 units, the stricter reading); the
rate limits for our pacing (one post a second per token, two a minute and ten seconds
apart per account: well under the platform's 200 calls an hour); albums of 2-10 (newer
pages allow up to 20 items); how long to wait for a container (the documentation says
to ask about once a minute for up to five; a photo is usually ready in seconds, so the
adapter asks for a few seconds and otherwise comes back later).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings

from hamafza.persian.digits import format_number

from ..links import public_site_problem
from . import _http
from ._common import RemoteAdapter
from .base import HASHTAG, Message, Outcome, Part, PartKind, Platform, Result

HASHTAGS = 30  # in one caption (the documentation's limit)

PLATFORM = Platform(
    kind="instagram",
    default_base_url="https://graph.facebook.com",
    text_limit=2200,
    caption_limit=2200,
    albums=True,
    min_album=2,
    max_album=10,
    can_edit=False,  # no caption edit through content publishing
    can_edit_caption=False,
    can_delete=False,  # no delete either: a person does it in Instagram
    delete_window=None,
    per_bot_per_second=1,
    per_chat_per_minute=2,
    per_chat_gap=10.0,
    counting="utf16",
    post_url_format="",  # a post's address is its permalink, asked after publishing
    local_server="hamafza_fakes.instagram.FakeInstagram",
    chat_id_pattern=r"\d{5,25}",
    chat_id_hint="شناسه حساب اینستاگرام (Instagram User ID) عددی است، مانند 17841400123456789؛"
    " آن را از Graph API یا Meta Business Suite بردارید (نام کاربری با «@» نیست).",
    unconfirmed=(
        "the HTTP statuses of failures (the error code is read whatever the status)",
        "how the caption's 2,200 characters are counted (taken: UTF-16 units)",
        "the pacing between posts, and albums of 2-10 (newer pages allow 20)",
        "the cap: 100 posts in 24 hours today, 25 in older pages; read from the API",
    ),
    needs_photo=True,
    photos_by_url=True,
    keeps_prepared=True,
    max_hashtags=HASHTAGS,
    # Instagram API with Instagram Login: the same calls at graph.instagram.com.
    other_hosts=("graph.instagram.com",),
    aspect_ratios=(4 / 5, 1.91),
    token_label="توکن دسترسی (Access Token) اینستاگرام",
    chat_id_label="شناسه حساب اینستاگرام (Instagram User ID)",
)

NAME = "اینستاگرام"
DAILY_POSTS = 100  # when content_publishing_limit gives no quota_total
QUOTA_FULL_PAUSE = 30 * 60.0  # seconds before the cap is asked again
RATE_LIMIT_PAUSE = 5 * 60.0  # 4, 17, 32, 613 give no figure of their own
NOT_READY_PAUSE = 20.0  # a container still IN_PROGRESS after the polls
BROKEN_CODES = {190, 10, 102}  # and 200-299
RATE_LIMIT_CODES = {4, 17, 32, 613}
PASSING_CODES = {1, 2, -1, -2}
QUOTA_SUBCODE = 2207042
NOT_READY = (9007, 2207027)
EXPIRED_SUBCODE = 2207020
UNKNOWN_OBJECT = (100, 33)
UNKNOWN = "100/33"  # as GraphAnswer.text writes it
EXPIRED = "container EXPIRED"
# What a person is told, beside Instagram's own words, for the refusals of a photo.
PHOTO_REFUSALS = {
    2207052: "اینستاگرام نتوانست عکس را از نشانی آن در سایت بردارد؛ نشانی همگانی سایت را بررسی کنید.",
    2207009: "نسبت پهنا به بلندای عکس برای اینستاگرام باید میان ۴:۵ و ۱٫۹۱:۱ باشد.",
    2207004: "عکس برای اینستاگرام بزرگ‌تر از ۸ مگابایت است.",
}
BY_HAND = (
    "اینستاگرام ویرایش و پاک کردن پست یا فرستادن نوشته بی‌عکس را از راه API نمی‌پذیرد؛"
    " این پست را با دست در برنامه اینستاگرام اصلاح یا پاک کنید"
)


@dataclass(frozen=True)
class GraphAnswer:
    """A Graph API answer, read once: `json` False when the body was not the API's."""

    status: int
    json: bool
    data: dict
    code: int
    subcode: int
    message: str
    transient: bool

    @classmethod
    def of(cls, reply: _http.Reply) -> GraphAnswer:
        data = reply.data if isinstance(reply.data, dict) else None
        if data is None:
            return cls(
                reply.status, False, {}, 0, 0, f"HTTP {reply.status}: {reply.text[:200]}", False
            )
        error = data.get("error") if isinstance(data.get("error"), dict) else {}
        return cls(
            status=reply.status,
            json=True,
            data=data,
            code=_int(error.get("code")),
            subcode=_int(error.get("error_subcode")),
            message=str(error.get("message") or "")[:400],
            transient=error.get("is_transient") is True,
        )

    @property
    def ok(self) -> bool:
        return self.json and self.status == 200 and "error" not in self.data

    @property
    def text(self) -> str:
        if not self.json:
            return self.message
        sub = f"/{self.subcode}" if self.subcode else ""
        return f"HTTP {self.status} code {self.code}{sub}: {self.message}".strip()


def classify(answer: GraphAnswer, *, posting: bool = False) -> Result:
    """A failed answer's outcome. `posting`: the request was media_publish (a body that is
    not the API's may then hide a post that went out)."""
    code, subcode, error = answer.code, answer.subcode, answer.text
    if not answer.json:
        if answer.status == 200 or (posting and answer.status in (502, 504)):
            outcome = Outcome.UNCONFIRMED if posting else Outcome.RETRY
            return Result(outcome, error=error)
        if answer.status >= 500 or answer.status == 429:
            return Result(Outcome.RETRY, error=error)
        if answer.status in (401, 403):
            return Result(Outcome.CREDENTIALS, error=error)
        return Result(Outcome.FAILED, error=error)
    if subcode == QUOTA_SUBCODE:
        return quota_full(error)
    if code in BROKEN_CODES or 200 <= code <= 299 or (code, subcode) == UNKNOWN_OBJECT:
        return Result(Outcome.CREDENTIALS, error=error)
    if code in RATE_LIMIT_CODES:
        return Result(Outcome.RETRY, retry_after=RATE_LIMIT_PAUSE, error=error)
    if (code, subcode) == NOT_READY or subcode == NOT_READY[1]:
        return Result(Outcome.RETRY, retry_after=NOT_READY_PAUSE, error=error)
    if code in PASSING_CODES or answer.transient or answer.status >= 500:
        return Result(Outcome.RETRY, error=error)
    hint = PHOTO_REFUSALS.get(subcode)
    return Result(Outcome.FAILED, error=f"{hint} ({error})" if hint else error)


def quota_full(detail: str = "") -> Result:
    note = (
        "سقف انتشار روزانه این حساب اینستاگرام پر است؛ پست پس از باز شدن جا در ۲۴ ساعت"
        " گذشته خودکار منتشر می‌شود."
    )
    return Result(
        Outcome.WAIT, retry_after=QUOTA_FULL_PAUSE, error=f"{note} ({detail})" if detail else note
    )


class InstagramAdapter(RemoteAdapter):
    platform = PLATFORM
    # Asking a new container's status: every `poll_pause` seconds, `poll_tries` times, and
    # then later (a retry) if it is still in progress.
    poll_pause = 0.5
    poll_tries = 6

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.version = str(getattr(settings, "INSTAGRAM_GRAPH_VERSION", "") or "v21.0").strip("/")
        self.pause = time.sleep

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{self.version}/{path}"

    # -- the two kinds of call -----------------------------------------------------------
    def _read(self, path: str, **params) -> tuple[GraphAnswer | None, Result | None]:
        """GET: (the answer, None) when it succeeded, else (the answer or None, the failure)."""
        try:
            reply = _http.get(
                self._url(path),
                token=self.token,
                params={**params, "access_token": self.token},
                connect_timeout=self.connect_timeout,
                read_timeout=self.timeout,
            )
        except _http.TransportFailure as failure:
            return None, failure.result
        answer = GraphAnswer.of(reply)
        return answer, None if answer.ok else classify(answer)

    def _write(self, path: str, form: dict, *, posting: bool = False):
        """POST a form; `posting`: it may put something in front of people."""
        try:
            reply = self._post(
                self._url(path),
                form={**form, "access_token": self.token},
                side_effect_free=not posting,
            )
        except _http.TransportFailure as failure:
            return None, failure.result
        answer = GraphAnswer.of(reply)
        return answer, None if answer.ok else classify(answer, posting=posting)

    # -- before the post: the container, its processing, the day's cap -----------------
    def prepare(self, part: Part, message: Message) -> Part | Result:
        if part.kind == PartKind.TEXT or not self.token:
            return part  # send says why a text alone cannot go
        problem = public_site_problem(NAME)
        if problem:
            return Result(Outcome.FAILED, error=problem)
        urls = [message.photo_urls[i] for i in part.photos if i < len(message.photo_urls)]
        if len(urls) != len(part.photos) or not urls:
            return Result(
                Outcome.FAILED, error="نشانی همگانی عکس‌های این مطلب ساخته نشد؛ عکس‌ها را بررسی کنید."
            )
        if not part.text and message.text.strip():
            # The text did not fit the caption: there is no text message to follow a post.
            length = self.platform.length(message.text.strip())
            return Result(
                Outcome.FAILED,
                error=f"متن {format_number(length)} نویسه است و زیرنویس اینستاگرام بیش از"
                f" {format_number(self.platform.caption_limit)} نویسه نمی‌پذیرد.",
            )
        tags = len(HASHTAG.findall(part.text))
        if tags > HASHTAGS:
            return Result(
                Outcome.FAILED,
                error=f"اینستاگرام بیش از {format_number(HASHTAGS)} هشتگ نمی‌پذیرد؛"
                f" این متن {format_number(tags)} هشتگ دارد.",
            )
        container = part.prepared
        if container:  # made by an earlier attempt: go on from it
            outcome = self._until_ready(container)
            if outcome is None:
                return self._after_ready(part, container)
            gone = outcome.outcome == Outcome.CREDENTIALS and f" code {UNKNOWN}:" in outcome.error
            if not (outcome.error.startswith(EXPIRED) or gone):
                return outcome
            # It expired unpublished (24 hours), or the account asked is no longer the one
            # that made it (a reconnection): a new one is made.
            self.keep_prepared("")
            container = ""
        failure, container = self._create(part, urls)
        if failure is not None:
            return failure
        self.keep_prepared(container)
        outcome = self._until_ready(container)
        if outcome is not None:
            return outcome
        return self._after_ready(part, container)

    def _after_ready(self, part: Part, container: str) -> Part | Result:
        failure = self._room_today()
        return failure or replace(part, prepared=container)

    def _create(self, part: Part, urls: list[str]) -> tuple[Result | None, str]:
        if len(urls) == 1:
            return self._container({"image_url": urls[0], "caption": part.text})
        children = []
        for url in urls:
            failure, child = self._container({"image_url": url, "is_carousel_item": "true"})
            if failure is None:
                failure = self._until_ready(child)
            if failure is not None:
                return failure, ""
            children.append(child)
        return self._container(
            {"media_type": "CAROUSEL", "children": ",".join(children), "caption": part.text}
        )

    def _container(self, form: dict) -> tuple[Result | None, str]:
        answer, failure = self._write(f"{self.chat_id}/media", form)
        if failure is not None:
            return failure, ""
        container = str(answer.data.get("id") or "")
        if not container:
            return Result(Outcome.RETRY, error="Instagram made no container id"), ""
        return None, container

    def _status(self, container: str) -> tuple[Result | None, str, str]:
        answer, failure = self._read(container, fields="status_code,status")
        if failure is not None:
            return failure, "", ""
        return None, str(answer.data.get("status_code") or ""), str(answer.data.get("status") or "")

    def _until_ready(self, container: str) -> Result | None:
        """None once the container is FINISHED; else what to do: SENT (it is already
        published), FAILED (ERROR, or EXPIRED: its words say which), or RETRY."""
        for attempt in range(self.poll_tries):
            failure, code, status = self._status(container)
            if failure is not None:
                return failure
            if code == "FINISHED":
                return None
            if code == "PUBLISHED":
                return Result(Outcome.SENT)  # an earlier attempt's post: not a second one
            if code in ("ERROR", "EXPIRED"):
                self.keep_prepared("")
                hint = _refusal_hint(status)
                error = f"container {code}: {status}".strip(": ")
                if code == "EXPIRED":
                    return Result(Outcome.FAILED, error=f"{EXPIRED} {status}".strip())
                return Result(Outcome.FAILED, error=f"{hint} ({error})" if hint else error)
            if attempt + 1 < self.poll_tries:
                self.pause(self.poll_pause)
        return Result(
            Outcome.RETRY,
            retry_after=NOT_READY_PAUSE,
            error="Instagram is still processing the photo (IN_PROGRESS)",
        )

    def _room_today(self) -> Result | None:
        """None when the account may publish one more post now; WAIT while its 24-hour
        cap is full."""
        answer, failure = self._read(
            f"{self.chat_id}/content_publishing_limit", fields="quota_usage,config"
        )
        if failure is not None:
            return failure
        rows = answer.data.get("data")
        row = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else {}
        config = row.get("config") if isinstance(row.get("config"), dict) else {}
        used = _int(row.get("quota_usage"))
        total = _int(config.get("quota_total")) or DAILY_POSTS
        return quota_full(f"{used}/{total}") if used >= total else None

    # -- the post ------------------------------------------------------------------------
    def _send(self, part: Part, message: Message) -> Result:
        if part.kind == PartKind.TEXT:
            link = f": {message.link}" if message.link else "."
            return Result(Outcome.FAILED, error=BY_HAND + link)
        if not part.prepared:
            return Result(Outcome.FAILED, error="no media container to publish")
        answer, failure = self._write(
            f"{self.chat_id}/media_publish", {"creation_id": part.prepared}, posting=True
        )
        if failure is not None:
            if failure.outcome == Outcome.UNCONFIRMED:
                return self._look_up(part.prepared, failure)
            if answer is not None and answer.subcode == EXPIRED_SUBCODE:
                self.keep_prepared("")
            return failure
        media_id = str(answer.data.get("id") or "")
        if not media_id:
            return self._look_up(part.prepared, Result(Outcome.UNCONFIRMED, error="no media id"))
        return Result(Outcome.SENT, remote_id=media_id, remote_url=self._permalink(media_id))

    def _look_up(self, container: str, unconfirmed: Result) -> Result:
        """No answer to media_publish: the container's status says whether it went out."""
        failure, code, _status = self._status(container)
        if failure is None and code == "PUBLISHED":
            return Result(Outcome.SENT)
        return unconfirmed

    def _permalink(self, media_id: str) -> str:
        answer, failure = self._read(media_id, fields="permalink")
        if failure is not None:
            return ""  # it is out; only its address is unknown
        link = str(answer.data.get("permalink") or "")
        return link if link.startswith("https://") else ""

    # -- the account -----------------------------------------------------------------------
    def member_count(self) -> int | None:
        if not self.token:
            return None
        answer, failure = self._read(self.chat_id, fields="followers_count")
        if failure is not None or answer.data.get("followers_count") is None:
            return None
        return _int(answer.data.get("followers_count"))

    def _check(self) -> str:
        problem = public_site_problem(NAME)
        if problem:
            return problem
        answer, failure = self._read(self.chat_id, fields="username")
        if failure is None:
            return ""
        code = answer.code if answer is not None else 0
        if code == 190:
            return "توکن دسترسی اینستاگرام نامعتبر است یا منقضی شده؛ توکن تازه‌ای از Meta بگیرید."
        if code in (10, 102) or 200 <= code <= 299:
            return (
                "این توکن اجازه انتشار در حساب اینستاگرام را ندارد؛ دسترسی‌های"
                " instagram_basic و instagram_content_publish را به آن بدهید."
            )
        if answer is not None and (answer.code, answer.subcode) == UNKNOWN_OBJECT:
            return "حساب اینستاگرامی با این شناسه پیدا نشد یا این توکن به آن دسترسی ندارد."
        if failure.outcome == Outcome.CREDENTIALS:
            return "اینستاگرام این توکن و حساب را نپذیرفت: " + failure.error[:200]
        return "اینستاگرام اکنون در دسترس نیست؛ چند دقیقه بعد دوباره بیازمایید."


def _refusal_hint(status: str) -> str:
    """A container's `status` names its error subcode (e.g. "Error: 2207009")."""
    for subcode, hint in PHOTO_REFUSALS.items():
        if str(subcode) in status:
            return hint
    return ""


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
