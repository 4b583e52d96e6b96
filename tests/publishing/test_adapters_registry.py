"""adapter_for picks the client by channel kind, with the connection's base URL and its
decrypted token; each platform's descriptor states its facts once, and its local server
(written from the platform's documentation, separately) agrees with them."""

import pytest
from django.utils.module_loading import import_string

from hamafza.publishing.limits import limits_for_kind
from hamafza.publishing.models import ChannelConnection
from hamafza.publishing.platforms.bale import BaleAdapter
from hamafza.publishing.platforms.base import Message, Outcome
from hamafza.publishing.platforms.eitaa import EitaaAdapter
from hamafza.publishing.platforms.instagram import InstagramAdapter
from hamafza.publishing.platforms.registry import ADAPTERS, NoAdapter, adapter_for, platform_for
from hamafza.publishing.platforms.rubika import RubikaAdapter
from hamafza.publishing.platforms.telegram import TelegramAdapter
from hamafza.publishing.tokens import encrypt_token
from hamafza_fakes import FakeTelegram


def connect(channel, *, base_url="", chat_id="@behzisti_sb", token="1:secret"):
    return ChannelConnection.objects.create(
        channel=channel, base_url=base_url, chat_id=chat_id, token_encrypted=encrypt_token(token)
    )


@pytest.mark.parametrize(
    "kind, cls, default",
    [
        ("telegram", TelegramAdapter, "https://api.telegram.org"),
        ("bale", BaleAdapter, "https://tapi.bale.ai"),
        ("eitaa", EitaaAdapter, "https://eitaayar.ir/api"),
        ("rubika", RubikaAdapter, "https://botapi.rubika.ir/v3"),
    ],
)
def test_kind_picks_the_client_with_its_default_address(channels, kind, cls, default):
    adapter = adapter_for(channels[kind], connect(channels[kind]))
    assert type(adapter) is cls
    assert adapter.base_url == default
    assert adapter.token == "1:secret"
    # Eitaayar takes a channel's name without the "@" its handle is written with.
    assert adapter.chat_id == ("behzisti_sb" if kind == "eitaa" else "@behzisti_sb")
    assert adapter.public_handle == "behzisti_sb"


def test_instagram_is_picked_for_its_kind_with_the_graph_api_address(agency):
    from hamafza.network.models import Channel

    channel = Channel.objects.create(organisation=agency, kind="instagram", handle="@behzisti")
    adapter = adapter_for(channel, connect(channel, chat_id="17841400000000001"))
    assert type(adapter) is InstagramAdapter
    assert adapter.base_url == "https://graph.facebook.com"
    assert adapter.chat_id == "17841400000000001" and adapter.token == "1:secret"
    assert ADAPTERS["instagram"] is InstagramAdapter


def test_connection_base_url_wins_and_the_adapter_works(channels):
    with FakeTelegram() as api:
        connection = connect(channels["telegram"], base_url=api.base_url)
        adapter = adapter_for(channels["telegram"], connection)
        result = adapter.publish(Message(text="از راه اتصال"))
    assert result.outcome == Outcome.SENT
    assert api.calls[0].token == "1:secret"


def test_website_has_no_remote_adapter(channels):
    with pytest.raises(NoAdapter):
        adapter_for(channels["website"], connect(channels["website"]))


def test_unreadable_token_answers_credentials_without_calling(channels):
    connection = connect(channels["telegram"])
    connection.token_encrypted = "not-a-fernet-token"
    with FakeTelegram() as api:
        connection.base_url = api.base_url
        result = adapter_for(channels["telegram"], connection).publish(Message(text="x"))
    assert result.outcome == Outcome.CREDENTIALS
    assert api.calls == []


def test_the_composer_reads_each_platforms_descriptor():
    telegram = limits_for_kind("telegram")
    assert (telegram.text, telegram.caption, telegram.counting) == (4096, 1024, "utf16")
    assert (telegram.albums, telegram.min_album, telegram.max_album) == (True, 2, 10)
    eitaa = limits_for_kind("eitaa")
    assert eitaa.albums is False and eitaa.max_album == 1 and eitaa.counting == "codepoints"
    assert limits_for_kind("website").text is None
    assert platform_for("eitaa").can_edit is False and platform_for("eitaa").can_delete is False
    assert platform_for("rubika").can_edit_caption is False
    assert platform_for("website") is None
    instagram = limits_for_kind("instagram")
    assert (instagram.text, instagram.caption, instagram.max_album) == (2200, 2200, 10)
    assert instagram.needs_photo and instagram.photos_by_url and instagram.max_hashtags == 30
    assert platform_for("instagram").can_edit is False
    assert platform_for("instagram").can_delete is False
    assert platform_for("instagram").keeps_prepared
    assert not platform_for("telegram").needs_photo


@pytest.mark.parametrize("kind", sorted(ADAPTERS))
def test_each_platforms_local_server_agrees_with_its_descriptor(kind):
    """The descriptor and the local server are written separately from the platform's
    documentation: where they disagree, one of them is wrong."""
    platform = platform_for(kind)
    server = import_string(platform.local_server)
    assert server.PER_BOT_PER_SECOND == platform.per_bot_per_second
    assert server.PER_CHAT_PER_MINUTE == platform.per_chat_per_minute
    assert server.PER_CHAT_GAP == platform.per_chat_gap
    assert (server.TEXT_LIMIT, server.CAPTION_LIMIT) == (
        platform.text_limit,
        platform.caption_limit,
    )
    assert server.COUNT_UTF16 == (platform.counting == "utf16")


@pytest.mark.parametrize(
    "kind, good, bad",
    [
        ("telegram", ["@behzisti_sb", "-1001234567890"], ["behzisti_sb", "@ab", "https://t.me/x"]),
        ("bale", ["@behzisti_sb", "5123456789"], ["behzisti sb", "@x"]),
        ("eitaa", ["behzisti_sb", "10234567"], ["@behzisti_sb", "ب"]),
        ("rubika", ["c0BxYz12aB3cD4e"], ["@behzisti_sb", "g0BxYz12aB3cD4e", "c0short"]),
        ("instagram", ["17841400000000001"], ["@behzisti_sb", "behzisti", "1784a"]),
    ],
)
def test_each_platform_knows_its_channel_ids(kind, good, bad):
    platform = platform_for(kind)
    assert all(platform.chat_id_problem(chat) == "" for chat in good)
    assert all(platform.chat_id_problem(chat) for chat in bad)
