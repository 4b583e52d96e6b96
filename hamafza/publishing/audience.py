"""Reading each connected channel's audience from its platform, once a day, where the
platform's bot API tells it (Telegram and Bale: getChatMemberCount). Elsewhere the PR
office enters the figure by hand on the channel's page. And the other way: the posts the
outbox sent, for the network's audience charts (`SentPublications`)."""

import logging
from datetime import datetime

from django.db.models import Count
from django.utils import timezone

from hamafza.network.models import AudienceSnapshot
from hamafza.network.services import audience_record_collected

from .models import ChannelConnection, ConnectionState, Delivery, DeliveryState, Operation
from .platforms.registry import NoAdapter, adapter_for

logger = logging.getLogger(__name__)


def audience_collect() -> dict[str, int]:
    """Collect today's figure for every connected channel that has none yet; returns
    how many were recorded, skipped (no figure from the platform) and already done."""
    today = timezone.localdate()
    done_today = set(
        AudienceSnapshot.objects.filter(taken_on=today).values_list("channel_id", flat=True)
    )
    counts = {"recorded": 0, "no_figure": 0, "already": 0}
    connections = ChannelConnection.objects.filter(
        state=ConnectionState.OK, channel__is_active=True
    ).select_related("channel")
    for connection in connections:
        if connection.channel_id in done_today:
            counts["already"] += 1
            continue
        try:
            members = adapter_for(connection.channel, connection).member_count()
        except NoAdapter:
            members = None
        if members is None:
            counts["no_figure"] += 1
            continue
        audience_record_collected(channel=connection.channel, taken_on=today, members=members)
        counts["recorded"] += 1
    logger.info("audience collected: %s", counts)
    return counts


class SentPublications:
    """What the network's audience charts show of the outbox (registered in
    PublishingConfig.ready as network.audience's SentPosts): a post counts once per channel
    when its publication was sent there; edits, deletions and corrections do not."""

    @staticmethod
    def _sent(channel_ids):
        return Delivery.objects.filter(
            channel_id__in=channel_ids, state=DeliveryState.SENT, operation=Operation.PUBLISH
        )

    def counts_since(self, channel_ids: list[int], since: datetime) -> dict[int, int]:
        rows = (
            self._sent(channel_ids)
            .filter(sent_at__gte=since)
            .values("channel_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        return {row["channel_id"]: row["n"] for row in rows}

    def times_since(self, channel_id: int, since: datetime) -> list[datetime] | None:
        sent = self._sent([channel_id])
        if not sent.exists():
            return None
        return list(sent.filter(sent_at__gte=since).values_list("sent_at", flat=True))
