"""The public news pages: no account needed, nothing per visitor on them, so each page
is cached whole for a minute. Views parse input, call a selector, render."""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from hamafza.core.clients import client_address
from hamafza.core.decorators import public
from hamafza.core.media import absolute_public_url
from hamafza.publishing.models import PostStatus
from hamafza.publishing.reach import visit_record

from . import selectors

PER_PAGE = 20
CACHE_SECONDS = 60


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


def cached_page(view):
    """Keep a public page's HTML for a minute, keyed on the view, its arguments and the
    page number (no other input changes it). Stored as text so that a hit neither renders
    nor touches the session: the page is the same for everyone. The cost: a change (a new
    post, a withdrawal) shows within a minute on every app process, not at once."""

    @wraps(view)
    def wrapper(request, **kwargs):
        page = _page_number(request)
        key = "portal:" + ":".join([view.__name__, *map(str, kwargs.values()), str(page)])
        cached = cache.get(key)
        if cached is None:
            response = view(request, page=page, **kwargs)
            if response.status_code not in (200, 410):
                return response  # redirects and 404s are cheap, and not worth keeping
            cached = (response.status_code, response.content)
            cache.set(key, cached, CACHE_SECONDS)
        status, content = cached
        response = HttpResponse(content, status=status)
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response

    return wrapper


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    # render_to_string without the request: the public layout needs nothing per visitor,
    # and leaving the request out keeps the session (and Vary: Cookie) out of the page.
    html = render_to_string(
        template, {**context, "SITE_NAME": settings.SITE_NAME, "WEB_FONT": settings.WEB_FONT}
    )
    return HttpResponse(html, status=status)


def _news_page(request, posts, page: int, context: dict) -> HttpResponse:
    page_obj = Paginator(posts, PER_PAGE).get_page(page)
    for post in page_obj:
        post.public_url = selectors.post_url(post)
    return _render(
        request,
        "portal/news_list.html",
        {**context, "page": page_obj, "canonical": request.build_absolute_uri(request.path)},
    )


@public
@require_safe
@cached_page
def news_list(request, page: int):
    return _news_page(request, selectors.public_posts(), page, {"organisation": None})


@public
@require_safe
@cached_page
def organisation_news(request, slug: str, page: int):
    organisation = selectors.public_organisation(slug)
    return _news_page(
        request, selectors.public_posts(organisation), page, {"organisation": organisation}
    )


# One counted visit per address and post in this window: a reload is not a reader.
SEEN_WINDOW = 30 * 60


@public
@csrf_exempt  # an anonymous counter: nothing to forge, and throttled per address
@require_POST
def post_seen(request, pk: int):
    """The post page's beacon: counts a visit after the page was shown in a browser."""
    if selectors.public_posts().filter(pk=pk).exists():
        if cache.add(f"portal:seen:{client_address(request)}:{pk}", True, SEEN_WINDOW):
            visit_record(post_id=pk)
    return HttpResponse(status=204)


@public
@require_safe
@cached_page
def post_detail(request, pk: int, slug: str = "", page: int = 1):
    post = selectors.post_public_get(pk)
    canonical_slug = selectors.post_slug(post)
    if slug != canonical_slug:
        return redirect(selectors.post_url(post), permanent=True)
    withdrawn = post.status == PostStatus.WITHDRAWN
    photos = list(post.photos.all())
    corrections = list(post.corrections.all())
    original = (
        post.correction_of
        if post.correction_of and selectors.is_public(post.correction_of)
        else None
    )
    for linked in [*corrections, *([original] if original else [])]:
        linked.public_url = selectors.post_url(linked)
    context = {
        "post": post,
        "withdrawn": withdrawn,
        "photos": photos,
        "corrections": corrections,
        "original": original,
        "canonical": request.build_absolute_uri(selectors.post_url(post)),
        "og_image": absolute_public_url(photos[0].image.url, request) if photos else "",
    }
    # A withdrawn post's address stays, saying so: 410 tells search engines it is gone.
    return _render(request, "portal/post_detail.html", context, status=410 if withdrawn else 200)
