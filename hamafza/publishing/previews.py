"""How a post will look on each channel it goes to: the composer's preview tabs (updated
as the editor types) and the post page's. Each is the rendering the outbox sends
(formatting.channel_message, in the platform's style and cut to its limit), shown as
the platform will show it, with the text as sent beside it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from . import formatting
from .limits import limits_for_kind
from .platforms.registry import IN_PROCESS_KINDS, platform_for

STYLE_LABELS = {
    formatting.TELEGRAM_HTML: _("با قالب‌بندی تلگرام (HTML)"),
    formatting.BALE_MARKDOWN: _("با قالب‌بندی بله (مارک‌داون)؛ نقل قول در «»"),
    formatting.RUBIKA_METADATA: _("با قالب‌بندی روبیکا"),
    formatting.PLAIN: _("متن ساده: این پیام‌رسان قالب‌بندی نمی‌پذیرد؛ پیوند با نشانی‌اش می‌آید"),
    formatting.SITE_HTML: _("صفحه خبر در سایت"),
}


@dataclass(frozen=True)
class Preview:
    channel: object
    style: str
    html: SafeString  # as the platform shows it (formatting.py's own safe HTML)
    text: str  # as it is sent
    parse_mode: str
    length: int | None  # as the platform counts; None where there is no limit
    limit: int | None

    @property
    def style_label(self) -> str:
        return str(STYLE_LABELS[self.style])

    @property
    def over(self) -> bool:
        return self.limit is not None and (self.length or 0) > self.limit

    def as_json(self) -> dict:
        return {
            "channel": self.channel.pk,
            "kind": self.channel.kind,
            "label": str(self.channel),
            "style": self.style,
            "style_label": self.style_label,
            "html": str(self.html),
            "text": self.text,
            "parse_mode": self.parse_mode,
            "length": self.length,
            "limit": self.limit,
        }


def channel_preview(
    channel, *, title: str, lead: str, body: str, variant: str = "", link: str = ""
) -> Preview:
    """One channel's preview; `body` in the formatting markup (limits.body_text)."""
    if channel.kind in IN_PROCESS_KINDS:
        page = formatting.text_doc(lead) + formatting.parse(body)
        rendering = formatting.render(page, formatting.SITE_HTML)
        html = format_html("<h3>{}</h3>{}", title, mark_safe(rendering.text))
        return Preview(channel, formatting.SITE_HTML, html, "", "", None, None)
    platform = platform_for(channel.kind)
    if platform is not None:
        style, length, limit = platform.formatting, platform.length, platform.text_limit
    else:  # a kind with no adapter yet: its own limits, plain text
        limits = limits_for_kind(channel.kind)
        style, length, limit = formatting.PLAIN, limits.length, limits.text or 10**9
    rendering = formatting.channel_message(
        style,
        length=length,
        limit=limit,
        title=title,
        lead=lead,
        body=body,
        variant=variant,
        link=link,
    )
    return Preview(
        channel,
        style,
        mark_safe(formatting.display_html(rendering)),  # escaped by formatting.py
        rendering.text,
        rendering.parse_mode,
        length(rendering.counted),
        limit,
    )
