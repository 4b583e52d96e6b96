"""Each connected Telegram or Bale channel's member count is read from the platform once
a day; other platforms keep the figures people enter."""

import pytest
from django.core.management import call_command

from hamafza.network.models import AudienceSnapshot
from hamafza.publishing import services
from hamafza.publishing.audience import audience_collect
from hamafza_fakes import FakeEitaa, FakeTelegram


@pytest.fixture
def telegram():
    with FakeTelegram() as fake:
        yield fake


def test_connected_channels_get_todays_count_once(owner, channels, telegram):
    telegram.member_counts["@behzisti_sb"] = 4321
    services.channel_connect(
        actor=owner,
        channel=channels["telegram"],
        token="123:abc",
        chat_id="@behzisti_sb",
        base_url=telegram.base_url,
    )
    with FakeEitaa() as eitaa:  # Eitaayar has no member count
        services.channel_connect(
            actor=owner,
            channel=channels["eitaa"],
            token="e-token",
            chat_id="behzisti_sb",
            base_url=eitaa.base_url,
        )

    assert audience_collect() == {"recorded": 1, "no_figure": 1, "already": 0}
    snapshot = AudienceSnapshot.objects.get(channel=channels["telegram"])
    assert (snapshot.members, snapshot.source) == (4321, "collected")
    assert audience_collect()["already"] == 1  # once a day
    assert len(telegram.calls_to("getChatMemberCount")) == 1


def test_a_figure_entered_by_hand_is_never_overwritten(owner, member, channels, telegram):
    from django.utils import timezone

    from hamafza.network.services import audience_record

    audience_record(
        actor=member, channel=channels["telegram"], taken_on=timezone.localdate(), members=100
    )
    telegram.member_counts["@behzisti_sb"] = 999
    services.channel_connect(
        actor=owner,
        channel=channels["telegram"],
        token="123:abc",
        chat_id="@behzisti_sb",
        base_url=telegram.base_url,
    )
    call_command("collect_audience")
    assert AudienceSnapshot.objects.get(channel=channels["telegram"]).members == 100
