"""Each platform's own answers lead to the right outcome: the refusals that mean "already
done", "too late", "the connection is broken" and "slow down" are told apart by the
platform's words, and a connection is checked with the platform when it is made. Against
the local servers, which answer as the platforms' documentation and clients say."""

import pytest

from hamafza.publishing.platforms import bale
from hamafza.publishing.platforms._common import BotAnswer
from hamafza.publishing.platforms._http import Reply
from hamafza.publishing.platforms.bale import BaleAdapter
from hamafza.publishing.platforms.base import Message, Outcome, SentPart
from hamafza.publishing.platforms.telegram import TelegramAdapter, classify
from hamafza_fakes import FakeBale, FakeTelegram

TOKEN = "123456:SECRET-token-value"
CHAT = "@behzisti_sb"


def adapter(api, cls=TelegramAdapter, *, token=TOKEN, chat=CHAT):
    return cls(base_url=api.base_url, token=token, chat_id=chat, timeout=2.0, connect_timeout=1.0)


def sent_text(api, cls=TelegramAdapter) -> list[SentPart]:
    result = adapter(api, cls).publish(Message(text="خبر"))
    assert result.outcome == Outcome.SENT
    return list(result.parts)


# -- delete: only the platform's "message to delete not found" means gone ----------------


def test_a_delete_with_a_malformed_token_is_a_broken_connection_not_done():
    with FakeTelegram(valid_tokens={TOKEN}) as api:
        parts = sent_text(api)
        result = adapter(api, token="not-a-token").delete(parts)
        assert api.calls[-1].status == 404  # Telegram's "Not Found"
        assert result.outcome == Outcome.CREDENTIALS
        assert len(api.messages(CHAT)) == 1  # and indeed it is still up


def test_a_delete_in_a_chat_the_bot_cannot_find_is_a_broken_connection_not_done():
    with FakeTelegram() as api:
        parts = sent_text(api)
        result = adapter(api).delete([SentPart("text", parts[0].ids)])
        assert result.outcome == Outcome.SENT
    with FakeTelegram(chats={"@another"}) as api:
        result = adapter(api).delete(parts)
    assert result.outcome == Outcome.CREDENTIALS and "chat not found" in result.error


def test_a_message_already_deleted_is_done():
    with FakeTelegram() as api:
        parts = sent_text(api)
        assert adapter(api).delete(parts).outcome == Outcome.SENT
        again = adapter(api).delete(parts)
        assert api.calls[-1].status == 400  # "Bad Request: message to delete not found"
        assert again.outcome == Outcome.SENT


def test_a_delete_after_48_hours_is_too_late():
    with FakeTelegram() as api:
        parts = sent_text(api)
        api.advance(49 * 3600)
        result = adapter(api).delete(parts)
    assert result.outcome == Outcome.TOO_LATE
    assert "can't be deleted" in result.error


# -- Bale's own words ---------------------------------------------------------------------


def test_a_bad_bale_token_breaks_the_connection():
    with FakeBale(valid_tokens={"1:good"}) as api:
        result = adapter(api, BaleAdapter).publish(Message(text="x"))
    assert "Token not found" in result.error
    assert result.outcome == Outcome.CREDENTIALS


def test_bale_no_such_group_or_user_breaks_the_connection():
    with FakeBale(chats={"@another"}) as api:
        result = adapter(api, BaleAdapter).publish(Message(text="x"))
    assert "no such group or user" in result.error
    assert result.outcome == Outcome.CREDENTIALS


def test_bale_permission_denied_breaks_the_connection():
    with FakeBale(chats={CHAT: {"admin": False, "member": True}}) as api:
        result = adapter(api, BaleAdapter).publish(Message(text="x"))
    assert "permission_denied" in result.error
    assert result.outcome == Outcome.CREDENTIALS


@pytest.mark.parametrize("style", ["429", "bot limit exceed"])
def test_bot_limit_exceed_is_a_rate_limit_even_without_429(style):
    with FakeBale(bale_limit_style=style) as api:
        api.answer_429(retry_after=3)
        result = adapter(api, BaleAdapter).publish(Message(text="x"))
    assert result.outcome == Outcome.RETRY
    assert result.retry_after in (3, bale.BOT_LIMIT_PAUSE)
    if style != "429":
        assert api.calls[0].status == 400 and result.retry_after == bale.BOT_LIMIT_PAUSE


def test_bale_member_counts_are_read_by_either_name_of_the_method():
    with FakeBale() as api:
        api.set_members(CHAT, 812)
        assert adapter(api, BaleAdapter).member_count() == 812
        api.answer_400("Bad Request: method not found", method="getChatMemberCount")
        assert adapter(api, BaleAdapter).member_count() == 812
        assert api.calls[-1].method == "getChatMembersCount"


# -- Telegram's album refusal -------------------------------------------------------------


def album_refusal(k: int) -> BotAnswer:
    description = (
        f'Bad Request: failed to send message #{k} with the error message "Too Many Requests: '
        'retry after 8"'
    )
    body = {"ok": False, "error_code": 400, "description": description}
    return BotAnswer.of(Reply(status=400, data=body, text=""))


def test_an_album_refused_at_its_first_photo_for_a_rate_limit_is_retried():
    result = classify(album_refusal(1), "sendMediaGroup")
    assert result.outcome == Outcome.RETRY and result.retry_after == 8


def test_an_album_cut_short_after_its_first_photos_is_for_a_person_to_check():
    assert classify(album_refusal(3), "sendMediaGroup").outcome == Outcome.UNCONFIRMED


# -- the connection check -------------------------------------------------------------------


@pytest.mark.parametrize("cls, fake", [(TelegramAdapter, FakeTelegram), (BaleAdapter, FakeBale)])
def test_a_bot_that_is_an_admin_with_the_right_to_post_passes(cls, fake):
    with fake() as api:
        assert adapter(api, cls).check() == ""
        assert [c.method for c in api.calls] == ["getMe", "getChatMember"]
        assert api.calls[1].params["user_id"] == 123456  # the bot itself, from getMe


@pytest.mark.parametrize(
    "chats, words",
    [
        ({CHAT: {"admin": False, "member": True}}, "مدیر این کانال نیست"),
        ({CHAT: {"admin": True, "can_post_messages": False}}, "اجازه ارسال"),
        ({"@another"}, "شناسه کانال"),
    ],
)
def test_a_check_says_in_persian_what_to_fix(chats, words):
    with FakeTelegram(chats=chats) as api:
        assert words in adapter(api).check()


def test_a_bad_token_is_named_by_the_check():
    with FakeTelegram(valid_tokens={"1:good"}) as api:
        assert "توکن" in adapter(api).check()


def test_an_unreachable_platform_is_named_by_the_check():
    from hamafza_fakes import refused_url

    api = type("Gone", (), {"base_url": refused_url()})
    assert "در دسترس نیست" in adapter(api).check()


@pytest.mark.parametrize("cls, fake", [(TelegramAdapter, FakeTelegram), (BaleAdapter, FakeBale)])
def test_a_text_at_the_limit_goes_and_one_unit_over_is_refused(cls, fake):
    limit = cls.platform.text_limit
    at_limit = "ب" * (limit - 2) + "😀"  # the emoji counts two UTF-16 units
    assert cls.platform.length(at_limit) == limit
    with fake() as api:
        assert adapter(api, cls).publish(Message(text=at_limit)).outcome == Outcome.SENT
        over = adapter(api, cls).publish(Message(text=at_limit + "ب"))
    assert over.outcome == Outcome.FAILED and "too long" in over.error
