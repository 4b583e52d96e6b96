"""The address of a post on the public site. Publishing does not know the site's pages:
the app that shows posts to the public (the portal) registers the path of a post's page
in its AppConfig.ready, and the outbox puts it under PUBLIC_SITE_URL in what it sends.

Without a public site there is no page to point to: the messages go without a link, and
the website delivery has no address."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from hamafza.core.hooks import register_once

_public_path: Callable[[object], str] | None = None


def register_public_url(fn: Callable[[object], str]) -> None:
    """`fn(post) -> str`: the path of the post's public page (site-relative)."""
    global _public_path
    _public_path = register_once(_public_path, fn, "the posts' public address")


def post_public_url(post) -> str:
    """The post's page on the site, under PUBLIC_SITE_URL when one is set (the links sent
    to the channels must be absolute to be followed from there); "" without a site."""
    if _public_path is None:
        return ""
    return settings.PUBLIC_SITE_URL.rstrip("/") + _public_path(post)


def photo_public_url(image) -> str:
    """A post's photo (a PostPhoto's image) at its address on the public site, which the
    media gate answers to anyone while the post is out (selectors.photo_is_public)."""
    return settings.PUBLIC_SITE_URL.rstrip("/") + image.url


def public_site_problem(platform_name: str) -> str:
    """ "" when PUBLIC_SITE_URL is a public https address another service can fetch from;
    else why not, in Persian. A platform that fetches the photos itself (Instagram) is
    sent nothing until it is. This machine's test servers pass where the settings allow
    local platform servers (the tests)."""
    url = (settings.PUBLIC_SITE_URL or "").strip()
    if not url:
        return _(
            "نشانی همگانی سایت (PUBLIC_SITE_URL) تنظیم نشده است؛ %(platform)s عکس را خود از"
            " سایت برمی‌دارد. از مدیر فنی بخواهید آن را با نشانی https سایت تنظیم کند."
        ) % {"platform": platform_name}
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if _local(host) and settings.PUBLISHING_ALLOW_LOCAL_API and parts.scheme in ("http", "https"):
        return ""
    if parts.scheme != "https" or not host or "." not in host or _local(host):
        return _(
            "نشانی همگانی سایت (PUBLIC_SITE_URL) «%(url)s» است؛ %(platform)s عکس را خود از سایت"
            " برمی‌دارد و به نشانی https همگانی نیاز دارد (مانند https://news.example.ir)."
        ) % {"platform": platform_name, "url": url}
    return ""


def _local(host: str) -> bool:
    """A name or address the world cannot reach: this machine, a private network, a name
    reserved for testing or local use."""
    if host in ("localhost",) or host.endswith((".localhost", ".local", ".test", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global
