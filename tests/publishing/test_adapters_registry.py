"""adapter_for picks the client by channel kind, with the connection's base URL and its
decrypted token; limits_for gives the composer each platform's limits."""

import pytest

from hamafza.publishing.models import ChannelConnection
from hamafza.publishing.platforms.base import Message, Outcome
from hamafza.publishing.platforms.eitaa import EitaaAdapter
from hamafza.publishing.platforms.registry import NoAdapter, adapter_for, limits_for
from hamafza.publishing.platforms.rubika import RubikaAdapter
from hamafza.publishing.platforms.telegram import BaleAdapter, TelegramAdapter
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
    assert adapter.chat_id == "@behzisti_sb"
    assert adapter.public_handle == "behzisti_sb"


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


def test_limits_for_the_composer():
    telegram = limits_for("telegram")
    assert (telegram.text_limit, telegram.caption_limit) == (4096, 1024)
    assert (telegram.supports_album, telegram.min_album, telegram.max_album) == (True, 2, 10)
    assert limits_for("bale") == telegram
    eitaa = limits_for("eitaa")
    assert eitaa.supports_album is False and eitaa.max_album == 1
    assert eitaa.supports_edit is False and eitaa.supports_delete is False
    assert limits_for("rubika").supports_album is False
    assert limits_for("website") is None
