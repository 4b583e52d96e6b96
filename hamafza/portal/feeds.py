"""The news as feeds: RSS 2.0 and Atom through Django's syndication framework, and JSON
Feed 1.1 written here. Network-wide and per organisation. Feed fields carry RFC dates;
the description a reader sees starts with the Jalali date, then the lead."""

import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hamafza.core.decorators import public
from hamafza.core.media import absolute_public_url
from hamafza.persian.dates import jalali_datetime

from . import selectors

ITEMS = 30
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def _title(organisation) -> str:
    if organisation is None:
        return _("اخبار شبکه روابط عمومی — %(site)s") % {"site": settings.SITE_NAME}
    return _("اخبار %(name)s") % {"name": organisation.name}


def _home(organisation) -> str:
    if organisation is None:
        return reverse("portal:news_list")
    return reverse("portal:organisation_news", kwargs={"slug": organisation.slug})


def _summary(post) -> str:
    """What a feed reader shows under the title: the Jalali date, then the lead."""
    return f"{jalali_datetime(post.published_at)} — {post.lead or post.title}"


def _photo_enclosure(post, request) -> Enclosure | None:
    """The post's first photo as the item's enclosure: absolute and public (feed readers
    fetch it from elsewhere), with its length as RSS asks."""
    photos = list(post.photos.all())
    if not photos:
        return None
    try:
        length = photos[0].image.size
    except OSError:  # the file is gone: no enclosure rather than a broken feed
        return None
    url = absolute_public_url(photos[0].image.url, request)
    return Enclosure(url, str(length), mimetypes.guess_type(url)[0] or "image/jpeg")


@dataclass(frozen=True)
class _Scope:
    """What one feed is about. The request rides along (the Feed object is shared by
    every thread) for the absolute addresses of the photos."""

    organisation: object
    request: object


class NewsRss(Feed):
    feed_type = Rss201rev2Feed
    language = "fa"

    def get_object(self, request, slug: str | None = None):
        return _Scope(selectors.public_organisation(slug) if slug else None, request)

    def title(self, scope):
        return _title(scope.organisation)

    def link(self, scope):
        return _home(scope.organisation)

    def description(self, scope):
        return _title(scope.organisation)

    def items(self, scope):
        posts = selectors.feed_posts(scope.organisation, limit=ITEMS)
        for post in posts:
            post.enclosure = _photo_enclosure(post, scope.request)
        return posts

    def item_enclosures(self, post):
        return [post.enclosure] if post.enclosure else []

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return _summary(post)

    def item_link(self, post):
        return selectors.post_url(post)

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.published_at

    def item_author_name(self, post):
        return post.organisation.name

    def item_categories(self, post):
        return post.tags or ()


class NewsAtom(NewsRss):
    feed_type = Atom1Feed

    def subtitle(self, scope):  # Atom's name for the description
        return _title(scope.organisation)


news_rss = public(NewsRss())
news_atom = public(NewsAtom())


@public
@require_safe
def news_json(request, slug: str | None = None):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    organisation = selectors.public_organisation(slug) if slug else None
    absolute = request.build_absolute_uri
    items = []
    for post in selectors.feed_posts(organisation, limit=ITEMS):
        url = absolute(selectors.post_url(post))
        item = {
            "id": url,
            "url": url,
            "title": post.title,
            "summary": post.lead or post.title,
            "content_html": post.body,
            "content_text": _summary(post),
            "date_published": post.published_at.isoformat(),
            "authors": [{"name": post.organisation.name}],
            "language": "fa",
        }
        photos = list(post.photos.all())
        if photos:
            item["image"] = absolute_public_url(photos[0].image.url, request)
        if post.tags:
            item["tags"] = list(post.tags)
        items.append(item)
    feed = {
        "version": JSON_FEED_VERSION,
        "title": _title(organisation),
        "home_page_url": absolute(_home(organisation)),
        "feed_url": absolute(request.path),
        "language": "fa",
        "items": items,
    }
    return JsonResponse(
        feed,
        content_type="application/feed+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
