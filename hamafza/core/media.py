"""Serving uploaded files, and nothing that is not meant to be seen.

Two places (see core.uploads.storage_for):

- PUBLIC_MEDIA_ROOT at PUBLIC_MEDIA_URL (/media/public/): files public from birth. At
  scale the proxy serves this folder itself; on the embedded default `public_file` does.
- MEDIA_ROOT at MEDIA_URL (/media/): private. The folder is never served as such. A file
  there is answered to anyone only while the app that owns it says so: an upper app
  registers, for the prefix its files are stored under, a function that tells whether a
  stored name is public now (publishing: "a photo of a post on the site"). Anything else
  under /media/ is a 404, whoever asks and whatever the name; the apps' own
  permission-checked views (publishing:photo) serve drafts to those who may see them.

Why a gate that reads the database rather than copying a post's photos into the public
folder when it is published: a post's visibility changes in several places (the outbox
worker, a withdrawal, a person resolving an unconfirmed send), inside transactions that may
roll back, while files cannot. A gate that asks at request time can never disagree with the
database: a withdrawn post's photo is a 404 the moment the withdrawal commits, with no file
left behind to remove, and there is one copy of each file for the channels and the site.
The cost is one indexed query per request for a photo (caches revalidate each time and get
a 304 while it is public), and with MEDIA_ACCEL_REDIRECT set the proxy sends the bytes
after the app said yes.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

from .decorators import public
from .uploads import Visibility, storage_for

# Served inline only as these; anything else goes out as a download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}
# A published photo may be kept by caches but is asked for again each time (a 304 while it
# is public): a withdrawal is often urgent, and a cache must not serve the photo after it.
PUBLIC_MEDIA_MAX_AGE = 0
PUBLIC_FILE_MAX_AGE = 24 * 60 * 60  # files public from birth, under random names

_public_media: dict[str, Callable[[str], bool]] = {}


def register_public_media(prefix: str, is_public: Callable[[str], bool]) -> None:
    """An upper app's say over its private files under `prefix` (e.g. "posts/"):
    `is_public(name)` answers whether that stored name may be shown to anyone now."""
    _public_media[prefix] = is_public


def media_is_public(name: str) -> bool:
    return any(
        name.startswith(prefix) and is_public(name) for prefix, is_public in _public_media.items()
    )


def absolute_public_url(url: str, request=None) -> str:
    """A public address others follow from outside (link previews, feeds, channels):
    under PUBLIC_SITE_URL when it is set (the proxy's name for the site, whatever host
    this request came in by), else from the request."""
    if url.startswith(("http://", "https://")):
        return url
    if settings.PUBLIC_SITE_URL:
        return settings.PUBLIC_SITE_URL.rstrip("/") + url
    return request.build_absolute_uri(url) if request is not None else url


def file_response(
    request, storage: Storage, name: str, *, public: bool, max_age: int
) -> HttpResponse:
    """A stored file as an answer: its type from its (our own) extension, Last-Modified
    with conditional GET, and the cache policy asked for. A missing file is a 404."""
    try:
        if not name or not storage.exists(name):
            raise Http404
        modified = storage.get_modified_time(name).timestamp()
    except (SuspiciousFileOperation, NotImplementedError, OSError):
        raise Http404 from None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), modified):
        response = HttpResponseNotModified()
    elif settings.MEDIA_ACCEL_REDIRECT and storage is storage_for(Visibility.PRIVATE):
        # The proxy sends the bytes from its internal location for MEDIA_ROOT.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + quote(name)
    else:
        try:
            response = FileResponse(storage.open(name, "rb"), content_type=content_type)
        except OSError:  # a folder's name, or a file gone since
            raise Http404 from None
    if content_type not in INLINE_TYPES:
        response["Content-Disposition"] = "attachment"
    response["Last-Modified"] = http_date(modified)
    scope = "public" if public else "private"
    # max_age 0: a cache may keep it but must ask again each time (a cheap 304).
    response["Cache-Control"] = f"{scope}, " + (f"max-age={max_age}" if max_age else "no-cache")
    return response


@public
@require_safe
def gated_media(request, path: str):
    """/media/<name>: a private file an app has declared public now, or a 404."""
    if not media_is_public(path):
        raise Http404
    return file_response(
        request, storage_for(Visibility.PRIVATE), path, public=True, max_age=PUBLIC_MEDIA_MAX_AGE
    )


@public
@require_safe
def public_file(request, path: str):
    """/media/public/<name> on the embedded default (the proxy serves it at scale)."""
    return file_response(
        request, storage_for(Visibility.PUBLIC), path, public=True, max_age=PUBLIC_FILE_MAX_AGE
    )
