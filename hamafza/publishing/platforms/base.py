"""What every platform module gives: its descriptor (`Platform`: limits, rate limits,
delete window, capabilities, how it counts length, where its local server lives) and an
adapter that turns one delivery into calls to its documented API.

An adapter says what happened; it never decides to retry (the outbox does). A post is
sent as *parts*, each one request: an album or a photo with its caption, then the text
that did not fit the caption. The outbox takes a rate slot for every message of a part
before sending it and records each part as it goes, so a part that failed is the only
one tried again (an album is never posted twice).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

PIN_NONE, PIN_AFTER, PIN_WITH = "", "after", "with"
VIDEO, DOCUMENT = "video", "document"  # the kinds of attachment


class Outcome(StrEnum):
    SENT = "sent"  # the platform took it; remote_id / remote_url say where it is
    RETRY = "retry"  # try again after `retry_after` seconds (429, 5xx, connection refused)
    FAILED = "failed"  # permanent: the platform refused this content (400, too long, …)
    CREDENTIALS = "credentials"  # the token or the bot's rights are broken: a person must fix it
    UNCONFIRMED = "unconfirmed"  # the request went out and no answer came: it may have posted
    TOO_LATE = "too_late"  # the platform no longer lets this message be deleted or edited
    # Not now, and no fault of anyone's: the platform's own quota for the account is full
    # (Instagram's posts a day). Comes back after `retry_after`; the attempt is not
    # counted, so waiting never turns into a failure.
    WAIT = "wait"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    remote_id: str = ""
    remote_url: str = ""
    retry_after: float | None = None  # the platform's own figure, which overrides our backoff
    error: str = ""
    # What of a post went out, part by part (set by `Adapter.publish` for its callers;
    # the outbox keeps the parts itself).
    parts: tuple[SentPart, ...] = ()


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts it (an emoji may count two) and as
    JavaScript's String.length does."""
    return len(text.encode("utf-16-le")) // 2


def codepoint_len(text: str) -> int:
    return len(text)


# A hashtag, as a platform that limits them counts them: "#" and a word, not inside one.
HASHTAG = re.compile(r"(?<![\w#&])#\w+")


# How a platform counts a text's length, by name: the composer's counter (composer.js)
# is told the name and counts the same way.
COUNTINGS: dict[str, Callable[[str], int]] = {"utf16": utf16_len, "codepoints": codepoint_len}


@dataclass(frozen=True)
class Platform:
    """One platform's facts, in one place: the composer checks against them, the outbox
    cuts and paces by them, the services decide edits and deletes by them."""

    kind: str  # the ChannelKind value
    default_base_url: str
    text_limit: int
    caption_limit: int
    albums: bool  # several photos in one message (else only the first photo goes)
    min_album: int
    max_album: int
    can_edit: bool  # the text of a message already sent can be changed
    can_edit_caption: bool  # so can a photo's caption
    can_delete: bool
    delete_window: timedelta | None  # how long after sending a delete is allowed; None: always
    per_bot_per_second: float  # messages a second, per bot, across all its chats
    per_chat_per_minute: int  # messages a minute into one chat
    per_chat_gap: float  # seconds between two requests into one chat
    counting: str  # a key of COUNTINGS
    post_url_format: str  # a public post's address, from handle and id; "" if none
    local_server: str  # dotted path of the test-support server that speaks this API
    chat_id_pattern: str  # what a channel's id looks like there (a regular expression)
    chat_id_hint: str  # how to write it, in Persian, for the connect form's error
    # Attachments (a video or a document beside the photos): whether the bot API takes
    # each kind, and the largest file a bot may upload there.
    videos: bool = False
    documents: bool = False
    max_file_bytes: int = 0
    # A post sent without a notification sound («بی‌صدا»).
    silent: bool = False
    # Pinning («سنجاق»): PIN_NONE, PIN_AFTER (a call of its own after the post went out)
    # or PIN_WITH (a flag on the posting request itself).
    pin: str = ""
    #: What the module could not confirm from the documentation or the clients people use.
    unconfirmed: tuple[str, ...] = ()
    #: A post without a photo cannot go there (Instagram): the composer refuses it.
    needs_photo: bool = False
    #: The platform fetches each photo itself from its public address on the site
    #: (Message.photo_urls), so the site must be public (links.public_site_problem).
    photos_by_url: bool = False
    #: What `prepare` made on the platform (Instagram's media container) is kept on the
    #: delivery as soon as it exists, and the next attempt goes on from it: never a second.
    keeps_prepared: bool = False
    #: At most this many hashtags in a post's text (0: no limit), counted by HASHTAG.
    max_hashtags: int = 0
    #: Other hosts of the platform's own API a connection may name (https only), beside
    #: default_base_url's (Instagram: graph.instagram.com for Instagram Login tokens).
    other_hosts: tuple[str, ...] = ()
    #: The narrowest and the widest photo (width / height) the platform takes, or None.
    aspect_ratios: tuple[float, float] | None = None
    #: The connect form's words for the token and the channel's id, where a platform's
    #: differ from a messenger bot's ("" keeps the form's own).
    token_label: str = ""
    chat_id_label: str = ""
    #: How the body's formatting is sent there: a style of `publishing.formatting`
    #: (Telegram's HTML, Bale's Markdown, Rubika's metadata, or plain text).
    formatting: str = "plain"

    def takes(self, attachment_kind: str) -> bool:
        """Whether the bot API here sends an attachment of this kind at all."""
        return {VIDEO: self.videos, DOCUMENT: self.documents}.get(attachment_kind, False)

    def chat_id_problem(self, chat_id: str) -> str:
        """ "" when `chat_id` looks like a channel id on this platform; else how to write it."""
        return "" if re.fullmatch(self.chat_id_pattern, chat_id) else self.chat_id_hint

    def length(self, text: str) -> int:
        return COUNTINGS[self.counting](text)

    def cut(self, text: str, limit: int) -> str:
        """`text` shortened to `limit` as this platform counts, ending in "…"."""
        if self.length(text) <= limit:
            return text
        room, used, kept = limit - 1, 0, []
        for char in text:
            used += self.length(char)
            if used > room:
                break
            kept.append(char)
        return "".join(kept).rstrip() + "…"


@dataclass(frozen=True)
class Message:
    """What to send, already cut to the platform's limits by the caller."""

    text: str
    photos: list[bytes] = field(default_factory=list)  # image bytes, in order
    photo_names: list[str] = field(default_factory=list)
    caption: str = ""
    link: str = ""  # the post's page on the site
    # The photos' public addresses, for a platform that fetches them (photos_by_url).
    photo_urls: list[str] = field(default_factory=list)
    # The text as rendered by publishing.formatting in the platform's style: what the
    # platform counts against its limits (Telegram: the text once its HTML is parsed),
    # the parse_mode to send it with, and Rubika's metadata parts. Empty for a plain text.
    counted: str = ""
    parse_mode: str = ""
    entities: tuple[dict, ...] = ()

    def length(self, platform: Platform) -> int:
        """The text's length as `platform` counts it."""
        return platform.length(self.counted or self.text.strip())

    # One video or document, sent after the photos (or carrying the caption without them).
    attachment: bytes = b""
    attachment_name: str = ""
    attachment_kind: str = ""  # VIDEO or DOCUMENT
    attachment_type: str = ""  # its content type, as the upload helper sniffed it
    silent: bool = False  # no notification sound, where the platform can
    pin: bool = False  # pin the post in the channel once it is out, where the platform can


class PartKind(StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    ALBUM = "album"
    VIDEO = VIDEO
    DOCUMENT = DOCUMENT


# The parts that carry a caption (their text is the post's, where it fits).
MEDIA_KINDS = frozenset({"photo", "album", VIDEO, DOCUMENT})


@dataclass(frozen=True)
class Part:
    """One request of a post: its kind, the text it carries (the message, or the
    caption), and the photos (indexes into Message.photos)."""

    kind: PartKind
    text: str = ""
    photos: tuple[int, ...] = ()
    # What a platform made ready before the posting request (Rubika's uploaded file id).
    prepared: str = ""
    # Pin the message this part posts, with the request itself (PIN_WITH platforms; the
    # first part only, so a later attempt sending the rest never pins again).
    pin: bool = False

    @property
    def messages(self) -> int:
        """How many messages it posts, each counted by the platform's limits."""
        return max(len(self.photos), 1)


@dataclass(frozen=True)
class SentPart:
    """A part that went out, as a delivery keeps it (Delivery.parts): which kind, the
    message ids it became, and whether the post's text went with it (as its caption)."""

    kind: str
    ids: tuple[str, ...]
    carried_text: bool = False

    def as_json(self) -> dict:
        data = {"kind": self.kind, "ids": list(self.ids)}
        if self.carried_text:
            data["text"] = True
        return data

    @classmethod
    def from_json(cls, data: dict) -> SentPart:
        ids = tuple(str(i) for i in data.get("ids", []))
        return cls(str(data.get("kind", "")), ids, bool(data.get("text")))

    @classmethod
    def of(cls, part: Part, message: Message, remote_id: str) -> SentPart:
        text = message.text.strip()
        carried = part.kind in MEDIA_KINDS and bool(text) and part.text.strip() == text
        return cls(part.kind, tuple(split_ids(remote_id)), carried)


def plan(platform: Platform, message: Message) -> list[Part]:
    """The parts `message` goes out as on `platform`: the text alone; or the media (the
    photos, an album where the platform has albums, else the first photo; then the video
    or document where the platform takes it) with the text as the first one's caption
    when it fits, and otherwise the caption alone and the text after them."""
    text, caption = message.text.strip(), message.caption.strip()
    media: list[tuple[PartKind, tuple[int, ...]]] = []
    if message.photos:
        count = len(message.photos) if platform.albums else 1
        media.append((PartKind.ALBUM if count > 1 else PartKind.PHOTO, tuple(range(count))))
    if message.attachment and platform.takes(message.attachment_kind):
        media.append((PartKind(message.attachment_kind), ()))
    pin = message.pin and platform.pin == PIN_WITH
    if not media:
        return [Part(PartKind.TEXT, text, pin=pin)]
    if not caption and message.length(platform) <= platform.caption_limit:
        caption, follow_up = text, ""
    else:
        follow_up = text if text and text != caption else ""
    (kind, photos), rest = media[0], media[1:]
    parts = [Part(kind, caption, photos, pin=pin)] + [Part(k, "", p) for k, p in rest]
    if follow_up:
        parts.append(Part(PartKind.TEXT, follow_up))
    return parts


def remaining(parts: list[Part], sent: list[SentPart], message: Message) -> list[Part]:
    """What of a post's `parts` is still to go when `sent` is already out (an attempt cut
    short after its first parts): the media of a kind not out yet, in order, then the text
    unless it already went (as a message, or as a caption). Nothing goes twice."""
    if not sent:
        return parts
    out = {p.kind for p in sent}
    if out & {PartKind.PHOTO, PartKind.ALBUM}:
        out |= {PartKind.PHOTO, PartKind.ALBUM}  # the photos went, one way or the other
    rest = [Part(p.kind, "", p.photos) for p in parts if p.kind not in out | {PartKind.TEXT}]
    text = message.text.strip()
    if text and not any(p.carried_text or p.kind == PartKind.TEXT for p in sent):
        rest.append(Part(PartKind.TEXT, text))
    return rest


class Adapter:
    """Subclasses set `platform` and implement `send(part, message)`, and `edit` / `delete`
    where the platform has them; the others answer FAILED with the reason, and the outbox
    posts a correction instead."""

    platform: Platform

    def __init__(self, *, base_url: str, token: str, chat_id: str, timeout: float = 15.0):
        self.base_url = (base_url or self.platform.default_base_url).rstrip("/")
        self.token, self.chat_id, self.timeout = token, chat_id, timeout
        # Where a platform that `keeps_prepared` records what it made ready, the moment it
        # exists (the outbox writes it on the delivery; "" forgets it).
        self.keep_prepared: Callable[[str], object] = lambda prepared: None

    def prepare(self, part: Part, message: Message) -> Part | Result:
        """The steps before the request that posts (they post nothing: an upload), done
        before the part takes its rate slot, so that the slot's moment is the post's.
        Returns the part ready to send, or the failure. `part.prepared` may already hold
        what an earlier attempt made (platforms that `keeps_prepared`)."""
        return part

    def send(self, part: Part, message: Message) -> Result:
        """Send one part; SENT carries the message ids it became, comma-joined."""
        raise NotImplementedError

    def publish(self, message: Message) -> Result:
        """Send every part in turn, without pacing (the outbox paces each part itself):
        for callers outside the outbox, and the tests. A failure after the first part keeps
        that part's outcome and says which ids are already out (`parts`)."""
        sent: list[SentPart] = []
        urls: list[str] = []  # the addresses the platform itself gave (Instagram's permalink)
        for part in plan(self.platform, message):
            ready = self.prepare(part, message)
            result = ready if isinstance(ready, Result) else self.send(ready, message)
            if result.outcome != Outcome.SENT:
                return partial(result, sent, self.post_url) if sent else result
            sent.append(SentPart.of(part, message, result.remote_id))
            urls.append(result.remote_url)
        ids = [i for p in sent for i in p.ids]
        url = (self.post_url(ids[0]) if ids else "") or next((u for u in urls if u), "")
        return Result(Outcome.SENT, ",".join(ids), url, parts=tuple(sent))

    def edit(self, sent: list[SentPart], message: Message) -> Result:
        return Result(Outcome.FAILED, error="edit is not supported on this platform")

    def delete(self, sent: list[SentPart]) -> Result:
        return Result(Outcome.FAILED, error="delete is not supported on this platform")

    def pin_message(self, message_id: str, message: Message) -> Result:
        """Pin one message of the channel (PIN_AFTER platforms); a failure here never
        makes the post's delivery fail: the outbox keeps it as a note."""
        return Result(Outcome.FAILED, error="pinning is not supported on this platform")

    def member_count(self) -> int | None:
        """How many members the channel has now, where the platform's API says; None
        where it does not (the figure is then entered by hand)."""
        return None

    def check(self) -> str:
        """Whether the token works and the bot may post in the channel: "" when it may,
        else the reason in Persian. Asked when a connection is made."""
        return ""

    def post_url(self, message_id: str) -> str:
        return ""


def partial(result: Result, sent: list[SentPart], post_url) -> Result:
    """A later part's failure, with the parts already out: the outcome stays the part's
    (a rate limit is still a RETRY of the rest alone), and the ids say what is up."""
    ids = [i for p in sent for i in p.ids]
    return Result(
        result.outcome,
        remote_id=",".join(ids),
        remote_url=post_url(ids[0]),
        retry_after=result.retry_after,
        error=f"part of the post went out ({','.join(ids)}) but not the rest: {result.error}",
        parts=tuple(sent),
    )


def split_ids(remote_id: str) -> list[str]:
    """The message ids a `remote_id` holds (comma-joined, the first the one people see)."""
    return [i.strip() for i in remote_id.split(",") if i.strip()]


def unknown_layout(remote_id: str) -> list[SentPart]:
    """A delivery recorded before parts were kept: its ids, the layout unknown."""
    ids = tuple(split_ids(remote_id))
    return [SentPart("", ids)] if ids else []
