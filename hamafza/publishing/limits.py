"""Each channel kind's limits, and the one way the composer, the server and the counter in
composer.js measure a post against them.

Each platform's module knows it best: the figures come from its descriptor
(`platforms.registry.platform_for(kind)`); only kinds with no remote adapter have their
own here. A length is counted the platform's way (UTF-16 code units on Telegram and
Bale, characters elsewhere), and composer.js is told which, so the live counter, this
check and the outbox's cut always agree.
"""

import re
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from hamafza.persian.digits import format_number

from . import formatting
from .links import public_site_problem
from .models import ChannelConnection, ConnectionState
from .platforms.base import COUNTINGS, HASHTAG
from .platforms.registry import platform_for


@dataclass(frozen=True)
class ChannelLimits:
    text: int | None = None  # None: no limit (the website)
    caption: int | None = None  # a text sent with photos
    min_album: int = 2
    max_album: int = 10
    albums: bool = True  # False: only the first photo goes
    counting: str = "utf16"  # how the platform counts a length: a key of COUNTINGS
    needs_photo: bool = False  # a post without a photo cannot go there (Instagram)
    photos_by_url: bool = False  # the platform fetches the photos from the public site
    max_hashtags: int = 0  # at most this many hashtags in a text (0: no limit)
    aspect_ratios: tuple[float, float] | None = None  # a photo's width / height, at least, at most
    formatting: str = formatting.PLAIN  # how the body's markup is sent (formatting.STYLES)
    videos: bool = True  # takes a video attachment
    documents: bool = True  # takes a document attachment
    max_file_bytes: int | None = None  # the largest it takes; None: no limit (the site)
    silent: bool = False  # offers «بی‌صدا»
    pin: bool = False  # offers «سنجاق»

    def length(self, text: str) -> int:
        return COUNTINGS[self.counting](text)

    def counted_length(self, *, title: str = "", lead: str = "", body: str = "", variant: str = ""):
        """How long the channel's message is (without the link to the site) as the
        platform counts it, rendered as the outbox renders it: Telegram counts what is
        left once its HTML is parsed, so the markup's markers do not count there."""
        return self.length(self.counted_text(title=title, lead=lead, body=body, variant=variant))

    def counted_text(self, *, title: str = "", lead: str = "", body: str = "", variant: str = ""):
        """The channel's message as the platform reads it (see counted_length)."""
        rendering = formatting.channel_message(
            self.formatting,
            length=self.length,
            limit=10**9,  # measured whole, not cut
            title=title,
            lead=lead,
            body=body,
            variant=variant,
        )
        return rendering.counted

    def as_dict(self) -> dict:
        return asdict(self)


# Kinds with no remote adapter: the site and the feeds take any length.
NO_ADAPTER_LIMITS = {
    "website": ChannelLimits(),
    "rss": ChannelLimits(),
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
        needs_photo=platform.needs_photo,
        photos_by_url=platform.photos_by_url,
        max_hashtags=platform.max_hashtags,
        aspect_ratios=platform.aspect_ratios,
        formatting=platform.formatting,
        videos=platform.videos,
        documents=platform.documents,
        max_file_bytes=platform.max_file_bytes,
        silent=platform.silent,
        pin=bool(platform.pin),
    )


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
    photo_sizes: list[tuple[int | None, int | None]] | None = None,
    attachment=None,
) -> list[Problem]:
    """Every way this post breaks (or strains) the limits of the channels it goes to.
    `photo_sizes`: the photos' (width, height) in order, where known; `attachment`: its
    video or document (anything with `kind` and `size`), if any."""
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
        text = limits.counted_text(title=title, lead=lead, body=body_text, variant=variant)
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
        if limits.needs_photo and not photo_count:
            message = _(
                "%(name)s نوشته بی‌عکس نمی‌پذیرد: دست‌کم یک عکس به مطلب بیفزایید یا %(name)s را"
                " از کانال‌ها بردارید."
            )
            found.append(Problem(channel.pk, True, message % {"name": name}))
        if limits.photos_by_url and photo_count:
            site = public_site_problem(name)
            if site:
                found.append(Problem(channel.pk, True, site))
        if limits.max_hashtags:
            tags = len(HASHTAG.findall(text))
            if tags > limits.max_hashtags:
                message = _(
                    "%(name)s بیش از %(limit)s هشتگ نمی‌پذیرد و متن آن %(n)s هشتگ دارد؛"
                    " چند هشتگ را بردارید یا متن ویژه‌ای بنویسید."
                )
                numbers = {
                    "name": name,
                    "limit": format_number(limits.max_hashtags),
                    "n": format_number(tags),
                }
                found.append(Problem(channel.pk, True, message % numbers))
        if limits.aspect_ratios and photo_sizes:
            found.extend(_aspect_problems(channel, name, limits, photo_sizes))
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


def _aspect_problems(channel, name: str, limits: ChannelLimits, sizes) -> list[Problem]:
    """The photos that go there (the first of an album's room) and are narrower or wider
    than the platform takes."""
    narrowest, widest = limits.aspect_ratios
    going = sizes[: limits.max_album if limits.albums else 1]
    out = [
        format_number(i)
        for i, (width, height) in enumerate(going, start=1)
        if width and height and not narrowest - 1e-3 <= width / height <= widest + 1e-3
    ]
    if not out:
        return []
    message = _(
        "%(name)s عکسی می‌پذیرد که پهنایش میان %(narrowest)s و %(widest)s برابر بلندایش باشد؛"
        " عکس %(photos)s بیرون از این اندازه است. آن را برش دهید یا عکس دیگری بگذارید."
    )
    numbers = {
        "name": name,
        "narrowest": format_number(round(narrowest, 2)),
        "widest": format_number(round(widest, 2)),
        "photos": "، ".join(out),
    }
    return [Problem(channel.pk, True, message % numbers)]


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
# The editor writes the formatting markup (formatting.py) in a text box; the body is stored
# as the site's safe HTML. body_html goes one way, body_text the other, so that a body
# read back into the composer keeps its bold, italic, links and quotes as markup.

_BREAKS = {"p", "br", "li", "h2", "h3", "ul", "ol", "div"}
_MARKS = {"strong": "**", "b": "**", "em": "__", "i": "__"}
_QUOTE_OPEN, _QUOTE_CLOSE = "\x02", "\x03"


class _TextOf(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []  # the href of each open <a>, "" for one not kept
        self.just_opened = -1  # len(parts) right after an opening marker

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BREAKS:
            self.parts.append("\n\n")
        elif tag == "blockquote":
            self.parts.append("\n\n" + _QUOTE_OPEN)
        elif tag in _MARKS:
            self.parts.append(_MARKS[tag])
            self.just_opened = len(self.parts)
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            kept = href if urlsplit(href).scheme in ("http", "https") else ""
            self.links.append(kept)
            if kept:
                self.parts.append("[")

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self.parts.append(_QUOTE_CLOSE + "\n\n")
        elif tag in _BREAKS and tag != "br":
            self.parts.append("\n\n")
        elif tag in _MARKS:
            # "<b>word </b>": the space goes after the marker, or the markup is not read.
            last = self.parts[-1] if self.parts else ""
            if last.strip() and last != last.rstrip():
                self.parts[-1] = last.rstrip()
                self.parts.append(_MARKS[tag] + last[len(last.rstrip()) :])
            else:
                self.parts.append(_MARKS[tag])
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.parts.append(f"]({href})")

    def handle_data(self, data):
        if self.just_opened == len(self.parts) and data != data.lstrip():
            # "<b> word</b>": the space goes before the marker.
            mark = self.parts.pop()
            self.parts += [data[: len(data) - len(data.lstrip())], mark]
            data = data.lstrip()
        self.just_opened = -1
        self.parts.append(data)


def _quoted(match: re.Match) -> str:
    lines = [" ".join(line.split()) for line in match.group(1).split("\n")]
    return "\n" + "\n".join("> " + line for line in lines if line) + "\n"


def body_text(html: str) -> str:
    """The stored (sanitised) HTML body as the editor writes it: paragraphs a blank line
    apart, in the formatting markup (bold, italic, links, quotes)."""
    parser = _TextOf()
    parser.feed(html or "")
    parser.close()
    text = "".join(parser.parts).replace("\r\n", "\n")
    # Empty emphasis (<strong></strong>) says nothing.
    text = text.replace("****", "").replace("____", "")
    text = re.sub(f"{_QUOTE_OPEN}(.*?){_QUOTE_CLOSE}", _quoted, text, flags=re.S)
    text = text.replace(_QUOTE_OPEN, "").replace(_QUOTE_CLOSE, "")
    paragraphs = [
        "\n".join(" ".join(line.split()) for line in p.split("\n") if line.strip())
        for p in text.split("\n\n")
    ]
    return "\n\n".join(p for p in paragraphs if p)


def body_html(text: str) -> str:
    """The editor's text (paragraphs a blank line apart, a single newline a line break,
    the formatting markup read) as the site's HTML."""
    return formatting.site_html(text)
