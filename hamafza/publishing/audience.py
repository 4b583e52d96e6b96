"""Reading each connected channel's audience from its platform, once a day, where the
platform's bot API tells it (Telegram and Bale: getChatMemberCount). Elsewhere the PR
office enters the figure by hand on the channel's page."""

import logging

from django.utils import timezone

from hamafza.network.models import AudienceSnapshot
from hamafza.network.services import audience_record_collected

from .adapters.registry import NoAdapter, adapter_for
from .models import ChannelConnection, ConnectionState

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
