"""Each channel kind's limits, and the one way the composer, the server and the counter in
composer.js measure a post against them.

Each platform's module knows it best: the figures come from its descriptor
(`platforms.registry.platform_for(kind)`); only kinds with no remote adapter have their
own here. A length is counted the platform's way (UTF-16 code units on Telegram and
Bale, characters elsewhere), and composer.js is told which, so the live counter, this
check and the outbox's cut always agree.
"""

from dataclasses import asdict, dataclass
from html import escape
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from hamafza.persian.digits import format_number

from .models import ChannelConnection, ConnectionState
from .platforms.base import COUNTINGS
from .platforms.registry import platform_for


@dataclass(frozen=True)
class ChannelLimits:
    text: int | None = None  # None: no limit (the website)
    caption: int | None = None  # a text sent with photos
    min_album: int = 2
    max_album: int = 10
    albums: bool = True  # False: only the first photo goes
    counting: str = "utf16"  # how the platform counts a length: a key of COUNTINGS
    videos: bool = True  # takes a video attachment
    documents: bool = True  # takes a document attachment
    max_file_bytes: int | None = None  # the largest it takes; None: no limit (the site)
    silent: bool = False  # offers «بی‌صدا»
    pin: bool = False  # offers «سنجاق»

    def length(self, text: str) -> int:
        return COUNTINGS[self.counting](text)

    def as_dict(self) -> dict:
        return asdict(self)


# Kinds with no remote adapter: the site and the feeds take any length; Instagram is not
# sent to yet, so its figures are its own.
NO_ADAPTER_LIMITS = {
    "website": ChannelLimits(),
    "rss": ChannelLimits(),
    "instagram": ChannelLimits(
        text=2200, caption=2200, max_album=10, videos=False, documents=False
    ),
}


def limits_for_kind(kind: str) -> ChannelLimits:
    """The composer's view of a platform's limits, taken from its adapter."""
    platform = platform_for(kind)
    if platform is None:
        return NO_ADAPTER_LIMITS.get(kind, ChannelLimits(text=4096, caption=1024))
    return ChannelLimits(
        text=platform.text_limit,
        caption=platform.caption_limit,
        min_album=platform.min_album,
        max_album=platform.max_album,
        albums=platform.albums,
        counting=platform.counting,
        videos=platform.videos,
        documents=platform.documents,
        max_file_bytes=platform.max_file_bytes,
        silent=platform.silent,
        pin=bool(platform.pin),
    )


def channel_text(*, title: str, lead: str, body_text: str, variant: str = "") -> str:
    """What goes out on a messenger channel (as outbox.build_message builds it): the
    channel's own text if the editor wrote one, else the title and the lead (or the body
    when there is no lead); the outbox adds the link to the full text on the site."""
    if variant.strip():
        return variant.strip()
    return "\n\n".join(part for part in (title.strip(), (lead or body_text).strip()) if part)


@dataclass(frozen=True)
class Problem:
    channel_id: int
    serious: bool  # True: the platform would refuse it; False: a warning
    message: str


def problems(
    *,
    channels,
    title: str,
    lead: str,
    body_text: str,
    variants: dict[int, str],
    photo_count: int,
    attachment=None,
) -> list[Problem]:
    """Every way this post breaks (or strains) the limits of the channels it goes to.
    `attachment`: its video or document (anything with `kind` and `size`), if any."""
    found = attachment_problems(channels, attachment)
    for channel in channels:
        limits = limits_for_kind(channel.kind)
        if limits.text is None:
            continue  # the site and the feeds take any length
        name = channel.get_kind_display()
        if not _connected(channel):
            message = _(
                "%(name)s به ربات وصل نیست: تا مدیر روابط عمومی آن را وصل نکند، چیزی به آن نمی‌رود."
            )
            found.append(Problem(channel.pk, False, message % {"name": name}))
        variant = variants.get(channel.pk, "").strip()
        text = channel_text(title=title, lead=lead, body_text=body_text, variant=variant)
        length = limits.length(text)
        numbers = {"name": name, "n": format_number(length), "limit": format_number(limits.text)}
        if length > limits.text and variant:
            # The outbox would cut the editor's own words: refused.
            message = _(
                "متن ویژه %(name)s %(n)s نویسه است و %(name)s بیش از %(limit)s نویسه نمی‌پذیرد؛"
                " آن را کوتاه کنید."
            )
            found.append(Problem(channel.pk, True, message % numbers))
        elif length > limits.text:
            message = _(
                "متن برای %(name)s %(n)s نویسه است و بیش از %(limit)s نمی‌گیرد؛ بریده می‌شود و پیوند"
                " متن کامل در سایت می‌آید. می‌توانید متن ویژه کوتاه‌تری بنویسید."
            )
            found.append(Problem(channel.pk, False, message % numbers))
        elif photo_count and limits.caption and length > limits.caption:
            message = _(
                "متن برای توضیح عکس در %(name)s بلند است (بیش از %(caption)s نویسه): عکس بی‌توضیح"
                " می‌رود و متن جداگانه پس از آن."
            )
            found.append(
                Problem(
                    channel.pk,
                    False,
                    message % {**numbers, "caption": format_number(limits.caption)},
                )
            )
        if photo_count > 1 and not limits.albums:
            message = _("%(name)s آلبوم ندارد: فقط عکس نخست همراه متن فرستاده می‌شود.")
            found.append(Problem(channel.pk, False, message % {"name": name}))
        elif limits.albums and photo_count > limits.max_album:
            message = _(
                "آلبوم %(name)s دست‌کم %(min)s و دست‌بالا %(max)s عکس می‌گیرد؛ این مطلب %(n)s عکس دارد."
            )
            numbers = {
                "name": name,
                "min": format_number(limits.min_album),
                "max": format_number(limits.max_album),
                "n": format_number(photo_count),
            }
            found.append(Problem(channel.pk, True, message % numbers))
    return found


def attachment_problems(channels, attachment) -> list[Problem]:
    """The ticked channels that cannot take the post's video or document: their platform
    sends no such file, or not one this large. Serious: the platform would refuse it."""
    if attachment is None:
        return []
    found = []
    for channel in channels:
        limits = limits_for_kind(channel.kind)
        name = channel.get_kind_display()
        video = attachment.kind == "video"
        what = _("ویدیو") if video else _("سند")
        if not (limits.videos if video else limits.documents):
            message = _("%(name)s پیوست %(what)s نمی‌گیرد؛ این کانال را بردارید یا پیوست را.")
            found.append(Problem(channel.pk, True, message % {"name": name, "what": what}))
        elif limits.max_file_bytes is not None and attachment.size > limits.max_file_bytes:
            message = _(
                "%(name)s پرونده‌ای بزرگ‌تر از %(limit)s مگابایت را از ربات نمی‌گیرد و این %(what)s"
                " %(size)s مگابایت است؛ پرونده کوچک‌تری بگذارید یا این کانال را بردارید."
            )
            numbers = {
                "name": name,
                "what": what,
                "limit": format_number(limits.max_file_bytes // (1024 * 1024)),
                "size": megabytes(attachment.size),
            }
            found.append(Problem(channel.pk, True, message % numbers))
    return found


def option_problems(channels, *, silent: bool, pin: bool) -> list[Problem]:
    """Ticked channels whose platform has no silent posts or no pinning: a warning (the
    post goes to them all the same, with a sound, unpinned)."""
    found = []
    for channel in channels:
        limits = limits_for_kind(channel.kind)
        if limits.text is None:
            continue  # the site and the feeds: nothing to ring or pin
        name = channel.get_kind_display()
        if silent and not limits.silent:
            message = _("%(name)s ارسال بی‌صدا ندارد: این مطلب آنجا با صدای آگاه‌سازی می‌رود.")
            found.append(Problem(channel.pk, False, message % {"name": name}))
        if pin and not limits.pin:
            message = _("%(name)s سنجاق کردن ندارد: این مطلب آنجا سنجاق نمی‌شود.")
            found.append(Problem(channel.pk, False, message % {"name": name}))
    return found


def megabytes(size: int) -> str:
    """A size in megabytes as a person reads it, one decimal (Persian digits)."""
    return format_number(f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip("."))


def _connected(channel) -> bool:
    try:
        return channel.connection.state == ConnectionState.OK
    except ChannelConnection.DoesNotExist:
        return False


# ---- the body as the editor types it and as it is stored --------------------------------

_BREAKS = {"p", "br", "li", "h2", "h3", "blockquote", "ul", "ol", "div"}


class _TextOf(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BREAKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _BREAKS and tag != "br":
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def body_text(html: str) -> str:
    """The stored (sanitised) HTML body as plain paragraphs a blank line apart."""
    parser = _TextOf()
    parser.feed(html or "")
    parser.close()
    text = "".join(parser.parts).replace("\r\n", "\n")
    paragraphs = [
        "\n".join(" ".join(line.split()) for line in p.split("\n") if line.strip())
        for p in text.split("\n\n")
    ]
    return "\n\n".join(p for p in paragraphs if p)


def body_html(text: str) -> str:
    """Plain paragraphs (a blank line apart; a single newline is a line break) as HTML."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [p.strip() for p in text.split("\n\n")]
    return "".join(
        "<p>" + "<br>".join(escape(line.strip()) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )
