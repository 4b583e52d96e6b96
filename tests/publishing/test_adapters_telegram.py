"""The Telegram-shaped Bot API client (Telegram and Bale) against the local fake: every
answer class, albums, long captions, edit and delete, and the token kept out of sight."""

import json
import logging

import pytest

from hamafza.publishing.platforms._common import BotAnswer, not_the_api
from hamafza.publishing.platforms._http import Reply
from hamafza.publishing.platforms.bale import BaleAdapter
from hamafza.publishing.platforms.base import Message, Outcome, SentPart
from hamafza.publishing.platforms.telegram import TelegramAdapter, classify
from hamafza_fakes import FakeBale, FakeTelegram, refused_url, unanswered_connect

TOKEN = "123456:SECRET-token-value"
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 200


@pytest.fixture
def api():
    with FakeTelegram() as fake:
        yield fake


def adapter(base_url, cls=TelegramAdapter, **kwargs):
    kwargs.setdefault("timeout", 2.0)
    kwargs.setdefault("connect_timeout", 1.0)
    return cls(base_url=base_url, token=TOKEN, chat_id="@behzisti_sb", **kwargs)


def test_text_is_sent_with_id_and_public_link(api):
    result = adapter(api.base_url).publish(Message(text="خبر تازه"))
    assert result.outcome == Outcome.SENT
    assert result.remote_id == "101"
    assert result.remote_url == "https://t.me/behzisti_sb/101"
    call = api.calls_to("sendMessage")[0]
    assert call.params == {"chat_id": "@behzisti_sb", "text": "خبر تازه"}
    assert call.token == TOKEN


def test_bale_uses_its_own_links():
    with FakeBale() as bale:
        result = adapter(bale.base_url, BaleAdapter).publish(Message(text="سلام"))
    assert result.outcome == Outcome.SENT
    assert result.remote_url == "https://ble.ir/behzisti_sb/101"
    assert BaleAdapter.platform.default_base_url == "https://tapi.bale.ai"


def test_a_private_chat_id_gets_no_link(api):
    result = TelegramAdapter(base_url=api.base_url, token=TOKEN, chat_id="-1001234").publish(
        Message(text="x")
    )
    assert result.outcome == Outcome.SENT and result.remote_url == ""


def test_one_photo_carries_the_text_as_caption(api):
    result = adapter(api.base_url).publish(
        Message(text="متن کوتاه", photos=[JPEG], photo_names=["a.jpg"])
    )
    assert result.outcome == Outcome.SENT
    call = api.calls_to("sendPhoto")[0]
    assert call.params["caption"] == "متن کوتاه"
    assert call.files["photo"] == ("a.jpg", JPEG)
    assert len(api.calls) == 1


def test_album_of_three_photos_sends_one_media_group(api):
    result = adapter(api.base_url).publish(Message(text="آلبوم", photos=[JPEG, JPEG, JPEG]))
    assert result.outcome == Outcome.SENT
    assert result.remote_id == "101,102,103"
    assert result.remote_url == "https://t.me/behzisti_sb/101"
    call = api.calls_to("sendMediaGroup")[0]
    media = json.loads(call.params["media"])
    assert [m["media"] for m in media] == ["attach://photo0", "attach://photo1", "attach://photo2"]
    assert media[0]["caption"] == "آلبوم" and "caption" not in media[1]
    assert set(call.files) == {"photo0", "photo1", "photo2"}


def test_more_photos_than_an_album_takes_fails_without_calling(api):
    result = adapter(api.base_url).publish(Message(text="x", photos=[JPEG] * 11))
    assert result.outcome == Outcome.FAILED
    assert api.calls == []


def test_text_too_long_for_a_caption_follows_the_photo(api):
    long_text = "ب" * 1500
    result = adapter(api.base_url).publish(Message(text=long_text, photos=[JPEG]))
    assert result.outcome == Outcome.SENT
    assert result.remote_id == "101,102"
    assert [c.method for c in api.calls] == ["sendPhoto", "sendMessage"]
    assert "caption" not in api.calls[0].params
    assert api.calls[1].params["text"] == long_text


def test_photo_out_and_follow_up_refused_says_what_went_out(api):
    api.answer_500(method="sendMessage")
    result = adapter(api.base_url).publish(Message(text="ب" * 1500, photos=[JPEG]))
    assert result.outcome == Outcome.RETRY  # the outbox sends only the text again
    assert result.remote_id == "101" and [p.kind for p in result.parts] == ["photo"]
    assert "went out (101)" in result.error


def test_429_gives_retry_after_from_parameters(api):
    api.answer_429(retry_after=7)
    result = adapter(api.base_url).publish(Message(text="x"))
    assert result.outcome == Outcome.RETRY
    assert result.retry_after == 7
    assert api.posted() == []


@pytest.mark.parametrize("kind", ["500", "502"])
def test_server_errors_are_retried(api, kind):
    api.fail_next(kind)
    result = adapter(api.base_url).publish(Message(text="x"))
    assert result.outcome == Outcome.RETRY
    assert result.retry_after is None


@pytest.mark.parametrize("kind", ["401", "403"])
def test_bad_token_or_kicked_bot_is_credentials(api, kind):
    api.fail_next(kind)
    result = adapter(api.base_url).publish(Message(text="x"))
    assert result.outcome == Outcome.CREDENTIALS


def test_unknown_token_is_credentials():
    with FakeTelegram(valid_tokens={"1:good"}) as api:
        result = adapter(api.base_url).publish(Message(text="x"))
    assert result.outcome == Outcome.CREDENTIALS
    assert "401" in result.error


def test_chat_not_found_is_credentials():
    with FakeTelegram(chats={"@another"}) as api:
        result = adapter(api.base_url).publish(Message(text="x"))
    assert result.outcome == Outcome.CREDENTIALS
    assert "chat not found" in result.error


def test_other_400_is_a_permanent_failure_with_the_description(api):
    result = adapter(api.base_url).publish(Message(text="x" * 5000))
    assert result.outcome == Outcome.FAILED
    assert "message is too long" in result.error


def test_read_timeout_after_sending_is_unconfirmed(api):
    api.hang(seconds=3)
    result = adapter(api.base_url, timeout=0.3).publish(Message(text="x"))
    assert result.outcome == Outcome.UNCONFIRMED
    # ... and indeed it went out: retrying it would have posted it twice.
    assert len(api.posted()) == 1


def test_connection_refused_is_retry():
    result = adapter(refused_url()).publish(Message(text="x"))
    assert result.outcome == Outcome.RETRY
    assert "no connection" in result.error


def test_connect_timeout_is_retry_because_nothing_was_sent():
    with unanswered_connect() as url:
        result = adapter(url, connect_timeout=0.3).publish(Message(text="x"))
    assert result.outcome == Outcome.RETRY


def test_unresolvable_host_is_retry():
    result = adapter("http://no-such-host.invalid").publish(Message(text="x"))
    assert result.outcome == Outcome.RETRY


def test_missing_token_is_credentials_without_a_call(api):
    result = TelegramAdapter(base_url=api.base_url, token="", chat_id="@x").publish(
        Message(text="x")
    )
    assert result.outcome == Outcome.CREDENTIALS
    assert api.calls == []


def test_edit_text(api):
    sent = adapter(api.base_url).publish(Message(text="قدیم"))
    result = adapter(api.base_url).edit(list(sent.parts), Message(text="جدید"))
    assert result.outcome == Outcome.SENT
    assert api.posted()[0]["text"] == "جدید"
    call = api.calls_to("editMessageText")[0]
    assert call.params["message_id"] == 101


def test_edit_that_changes_nothing_is_done(api):
    sent = adapter(api.base_url).publish(Message(text="همان"))
    assert (
        adapter(api.base_url).edit(list(sent.parts), Message(text="همان")).outcome == Outcome.SENT
    )


def test_edit_album_caption_and_follow_up_text(api):
    photos = [JPEG, JPEG]
    sent = adapter(api.base_url).publish(Message(text="ب" * 1500, caption="عنوان", photos=photos))
    assert sent.remote_id == "101,102,103"
    result = adapter(api.base_url).edit(list(sent.parts), Message(text="پ" * 1500))
    assert result.outcome == Outcome.SENT
    by_id = {m["message_id"]: m for m in api.posted()}
    assert by_id[101]["caption"] == "عنوان"  # the caption is not the text
    assert by_id[103]["text"] == "پ" * 1500


def test_edit_of_a_missing_message_fails(api):
    result = adapter(api.base_url).edit([SentPart("text", ("999",))], Message(text="x"))
    assert result.outcome == Outcome.FAILED
    assert "not found" in result.error


def test_delete_removes_every_message_of_an_album(api):
    sent = adapter(api.base_url).publish(Message(text="x", photos=[JPEG, JPEG, JPEG]))
    result = adapter(api.base_url).delete(list(sent.parts))
    assert result.outcome == Outcome.SENT
    assert api.posted() == []
    assert len(api.calls_to("deleteMessage")) == 3


def test_delete_again_is_done(api):
    sent = adapter(api.base_url).publish(Message(text="x"))
    assert adapter(api.base_url).delete(list(sent.parts)).outcome == Outcome.SENT
    assert adapter(api.base_url).delete(list(sent.parts)).outcome == Outcome.SENT


def test_delete_after_48_hours_is_too_late_so_the_outbox_sends_a_notice(api):
    sent = adapter(api.base_url).publish(Message(text="x"))
    api.answer_400("Bad Request: message can't be deleted")
    result = adapter(api.base_url).delete(list(sent.parts))
    assert result.outcome == Outcome.TOO_LATE


def test_the_token_is_never_logged_nor_in_errors(api, caplog):
    caplog.set_level(logging.DEBUG)
    api.hang(seconds=2)
    a = adapter(api.base_url, timeout=0.2)
    results = [a.publish(Message(text="x")), a.publish(Message(text="y"))]
    results.append(adapter(refused_url()).publish(Message(text="x")))
    assert TOKEN not in caplog.text
    assert "/bot***/sendMessage" in caplog.text  # urllib3's line, scrubbed
    assert all(TOKEN not in r.error for r in results)
    assert TOKEN not in repr(a)


def test_edit_without_the_photos_finds_the_caption(api):
    # The outbox sends an edit as the new text alone.
    sent = adapter(api.base_url).publish(Message(text="زیرنویس", photos=[JPEG, JPEG]))
    result = adapter(api.base_url).edit(list(sent.parts), Message(text="زیرنویس نو"))
    assert result.outcome == Outcome.SENT
    assert api.posted()[0]["caption"] == "زیرنویس نو"


def test_edit_without_the_photos_finds_the_follow_up_text(api):
    sent = adapter(api.base_url).publish(Message(text="ب" * 1500, photos=[JPEG]))
    result = adapter(api.base_url).edit(list(sent.parts), Message(text="پ" * 1500))
    assert result.outcome == Outcome.SENT
    assert api.posted()[1]["text"] == "پ" * 1500


def test_caption_limit_counts_utf16_like_telegram(api):
    text = "😀" * 600  # 600 characters, 1200 UTF-16 units: too long for a caption
    result = adapter(api.base_url).publish(Message(text=text, photos=[JPEG]))
    assert result.outcome == Outcome.SENT
    assert [c.method for c in api.calls] == ["sendPhoto", "sendMessage"]


def test_a_proxys_gateway_page_is_unconfirmed_not_retried():
    """A 502/504 page from a proxy in between: the platform may have posted already."""
    for status in (502, 504):
        page = Reply(status=status, data=None, text="<html>Bad Gateway</html>")
        assert not_the_api(BotAnswer.of(page)).outcome == Outcome.UNCONFIRMED
    api_says = Reply(
        status=502, data={"ok": False, "error_code": 502, "description": "Bad Gateway"}, text=""
    )
    assert classify(BotAnswer.of(api_says), "sendMessage").outcome == Outcome.RETRY
