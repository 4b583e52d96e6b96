"""Reads for the public pages and the feeds. Only what a visitor may see leaves here: a
post is public once it is on the site (published_at set) and sent; a withdrawn post keeps
its address, which then says it was withdrawn. Lists load only the columns they show."""

import re

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.text import slugify

from hamafza.network.models import Organisation
from hamafza.publishing.models import Post, PostPhoto, PostStatus
from hamafza.publishing.selectors import PUBLIC_STATUSES

# What a visitor reaches by a post's address: public posts, and withdrawn ones (to say so).
# A post still sending is on the site already (link previews fetch it at once).
REACHABLE_STATUSES = (*PUBLIC_STATUSES, PostStatus.WITHDRAWN)

LIST_COLUMNS = (
    "id",
    "kind",
    "title",
    "lead",
    "status",
    "published_at",
    "correction_of_id",
    "organisation__id",
    "organisation__name",
    "organisation__short_name",
    "organisation__slug",
)
PHOTO_COLUMNS = ("id", "post_id", "image", "width", "height", "alt_text", "position")


def _photos() -> Prefetch:
    return Prefetch("photos", queryset=PostPhoto.objects.only(*PHOTO_COLUMNS))


def public_posts(organisation: Organisation | None = None) -> QuerySet[Post]:
    """Public posts, newest first: the network's, or one organisation's (the index on
    (organisation, -published_at) serves both)."""
    posts = Post.objects.filter(published_at__isnull=False, status__in=PUBLIC_STATUSES)
    if organisation is not None:
        posts = posts.filter(organisation=organisation)
    return (
        posts.select_related("organisation")
        .only(*LIST_COLUMNS)
        .prefetch_related(_photos())
        .order_by("-published_at", "-id")
    )


def feed_posts(organisation: Organisation | None = None, *, limit: int = 30) -> list[Post]:
    posts = public_posts(organisation).only(*LIST_COLUMNS, "body", "tags")
    return list(posts[:limit])


def public_organisation(slug: str) -> Organisation:
    try:
        return Organisation.objects.only("id", "name", "short_name", "slug").get(
            slug=slug, is_active=True
        )
    except Organisation.DoesNotExist:
        raise Http404 from None


def post_public_get(pk: int) -> Post:
    """A post by its public address: sent or withdrawn, with its organisation, photos,
    the original it corrects and its own public corrections. Anything else is a 404."""
    corrections = (
        Post.objects.filter(published_at__isnull=False, status__in=PUBLIC_STATUSES)
        .only("id", "title", "published_at", "correction_of_id")
        .order_by("published_at")
    )
    try:
        return (
            Post.objects.filter(published_at__isnull=False, status__in=REACHABLE_STATUSES)
            .select_related("organisation", "correction_of")
            .only(
                *LIST_COLUMNS,
                "body",
                "tags",
                "correction_of__id",
                "correction_of__title",
                "correction_of__status",
                "correction_of__published_at",
            )
            .prefetch_related(_photos(), Prefetch("corrections", queryset=corrections))
            .get(pk=pk)
        )
    except Post.DoesNotExist:
        raise Http404 from None


def is_public(post: Post) -> bool:
    return post.published_at is not None and post.status in PUBLIC_STATUSES


_SEPARATORS = re.compile(r"[\u200c\s_]+")


def post_slug(post: Post) -> str:
    """The readable part of a post's address, from its title (Persian kept as is). Only
    for people and search engines: the pk finds the post."""
    slug = slugify(_SEPARATORS.sub(" ", post.title), allow_unicode=True)[:80].strip("-")
    return slug or "post"


def post_url(post: Post) -> str:
    """The canonical address of a post's public page."""
    return reverse("portal:post_detail", kwargs={"pk": post.pk, "slug": post_slug(post)})
