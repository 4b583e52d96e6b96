"""A post's reach on the site and an organisation's best hours, from the visits the
portal's beacon counts (PostVisits, one row per post per hour)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from hamafza.persian.dates import TEHRAN

from .models import Post, PostVisits


def visit_record(*, post_id: int) -> None:
    """Count one visit of a post's page in the current hour."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    if PostVisits.objects.filter(post_id=post_id, hour=hour).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            PostVisits.objects.create(post_id=post_id, hour=hour, count=1)
    except IntegrityError:  # another visit created the hour's row first
        PostVisits.objects.filter(post_id=post_id, hour=hour).update(count=F("count") + 1)


def post_reach(organisation, *, days: int = 30, limit: int = 20) -> list[Post]:
    """The organisation's posts of the last `days` days with their site visits, most
    visited first."""
    since = timezone.now() - timedelta(days=days)
    return list(
        Post.objects.filter(organisation=organisation, published_at__gte=since)
        .annotate(site_visits=Sum("visits__count"))
        .order_by(F("site_visits").desc(nulls_last=True), "-published_at")
        .only("id", "title", "published_at", "status")[:limit]
    )


def best_hours(organisation, *, days: int = 90) -> list[tuple[int, int]]:
    """Visits by hour of the day in Tehran (0-23) over the last `days` days: when the
    organisation's readers are there."""
    since = timezone.now() - timedelta(days=days)
    rows = PostVisits.objects.filter(post__organisation=organisation, hour__gte=since).values_list(
        "hour", "count"
    )
    totals = [0] * 24
    for hour, count in rows:
        totals[hour.astimezone(TEHRAN).hour] += count
    return list(enumerate(totals))
