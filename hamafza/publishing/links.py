"""The address of a post on the public site. Publishing does not know the site's pages:
the app that shows posts to the public (the portal) registers the path of a post's page
in its AppConfig.ready, and the outbox puts it under PUBLIC_SITE_URL in what it sends.

Without a public site there is no page to point to: the messages go without a link, and
the website delivery has no address."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

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
