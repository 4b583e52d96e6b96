"""FakeTelegram answers as Telegram's Bot API does (see hamafza_fakes/telegram.py for the
source of each answer), spoken to in plain HTTP."""

import json

import pytest

from hamafza_fakes import FakeTelegram
from hamafza_fakes.telegram import NOT_MODIFIED

TOKEN = "123456:secret"
JPEG = ("a.jpg", b"\xff\xd8\xff" + b"1" * 40)
EMOJI = "\U0001f600"  # two UTF-16 code units


def refusal(code, description, **parameters):
    body = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return code, body


def album(n, caption=""):
    media = [{"type": "photo", "media": f"attach://p{i}"} for i in range(n)]
    media[0]["caption"] = caption
    files = {f"p{i}": JPEG for i in range(n)}
    return {"media": json.dumps(media), "files": files}


@pytest.fixture
def api(run):
    return run(FakeTelegram(chats={"@news": {"members": 321, "title": "خبر"}}))


@pytest.fixture
def tg(api, bot):
    return bot(api, TOKEN)


# -- tokens ---------------------------------------------------------------------------------
def test_a_token_not_given_is_401_and_a_malformed_one_404(run, bot):
    api = run(FakeTelegram(valid_tokens={TOKEN}))
    assert bot(api, "999:other").call("getMe") == refusal(401, "Unauthorized")
    assert bot(api, "no-colon-token").call("getMe") == refusal(404, "Not Found")
    assert bot(api, "abc:def").call("sendMessage", chat_id="@x", text="x")[0] == 404
    status, body = bot(api, TOKEN).call("getMe")
    assert status == 200 and body["result"]["id"] == 123456
    assert body["result"]["is_bot"] is True and body["result"]["username"]
    assert api.messages() == []


def test_an_unknown_method_is_404(tg):
    assert tg.call("sendTelepathy", chat_id="@news") == refusal(404, "Not Found")


def test_the_constructor_takes_no_limits():
    for name in ("per_bot_per_second", "per_chat_per_minute"):
        with pytest.raises(TypeError):
            FakeTelegram(**{name: 1000})
    assert (FakeTelegram.PER_BOT_PER_SECOND, FakeTelegram.PER_CHAT_PER_MINUTE) == (30, 20)
    assert FakeTelegram.PER_CHAT_GAP == 1.0


# -- chats and rights -----------------------------------------------------------------------
def test_an_unknown_chat_is_chat_not_found(tg):
    assert tg.call("sendMessage", chat_id="@elsewhere", text="x") == refusal(
        400, "Bad Request: chat not found"
    )
    assert tg.call("getChat", chat_id="@elsewhere")[0] == 400
    assert tg.call("sendMessage", text="x") == refusal(400, "Bad Request: chat_id is empty")


def test_not_a_member_is_403_and_a_member_without_rights_400(api, tg):
    api.set_rights("@news", admin=False, member=False)
    assert tg.call("sendMessage", chat_id="@news", text="x") == refusal(
        403, "Forbidden: bot is not a member of the channel chat"
    )
    api.set_rights("@news", member=True)
    assert tg.call("sendMessage", chat_id="@news", text="x") == refusal(
        400, "Bad Request: need administrator rights in the channel chat"
    )
    api.set_rights("@news", admin=True, can_post_messages=False)
    assert tg.call("sendPhoto", chat_id="@news", files={"photo": JPEG})[0] == 400
    api.set_rights("@news", can_post_messages=True)
    assert tg.call("sendMessage", chat_id="@news", text="x")[0] == 200


def test_every_chat_exists_when_none_are_given(run, bot):
    api = run(FakeTelegram())
    status, body = bot(api, TOKEN).call("getChatMember", chat_id="@any", user_id=123456)
    assert status == 200 and body["result"]["status"] == "administrator"
    assert bot(api, TOKEN).call("sendMessage", chat_id="-1001", text="x")[0] == 200


def test_get_chat_member_gives_the_bots_status_and_rights(api, tg):
    status, body = tg.call("getChatMember", chat_id="@news", user_id=123456)
    member = body["result"]
    assert status == 200 and member["status"] == "administrator"
    assert member["user"]["id"] == 123456
    rights = ("can_post_messages", "can_edit_messages", "can_delete_messages")
    assert all(member[right] is True for right in rights)
    api.set_rights("@news", can_edit_messages=False)
    member = tg.call("getChatMember", chat_id="@news", user_id=123456)[1]["result"]
    assert (member["can_post_messages"], member["can_edit_messages"]) == (True, False)
    api.set_rights("@news", admin=False)
    member = tg.call("getChatMember", chat_id="@news", user_id=123456)[1]["result"]
    assert member["status"] == "member" and "can_post_messages" not in member
    api.set_rights("@news", member=False)
    assert tg.call("getChatMember", chat_id="@news", user_id=123456)[1]["result"]["status"] == (
        "left"
    )


def test_chat_administrators_chat_and_member_count(api, tg):
    admins = tg.call("getChatAdministrators", chat_id="@news")[1]["result"]
    assert [a["status"] for a in admins] == ["creator", "administrator"]
    chat = tg.call("getChat", chat_id="@news")[1]["result"]
    assert (chat["type"], chat["title"], chat["username"]) == ("channel", "خبر", "news")
    assert tg.call("getChatMemberCount", chat_id="@news") == (200, {"ok": True, "result": 321})
    api.set_members("@news", 400)
    assert tg.call("getChatMemberCount", chat_id="@news")[1]["result"] == 400
    assert tg.call("getChatMembersCount", chat_id="@news")[0] == 404  # the old name: Bale's


# -- messages and their age -----------------------------------------------------------------
def test_messages_are_kept_with_their_kind_and_time(api, tg, clock):
    text_id = tg.call("sendMessage", chat_id="@news", text="سلام")[1]["result"]["message_id"]
    clock.tick(5)
    photo = tg.call("sendPhoto", chat_id="@news", caption="عکس", files={"photo": JPEG})[1]
    assert "sent_at" not in photo["result"] and "kind" not in photo["result"]
    kept = api.messages("@news")
    assert [(m["kind"], m.get("text"), m.get("caption")) for m in kept] == [
        ("text", "سلام", None),
        ("photo", None, "عکس"),
    ]
    assert kept[1]["sent_at"] - kept[0]["sent_at"] == 5
    assert api.message("@news", text_id)["text"] == "سلام"
    assert api.message("@news", str(text_id))["message_id"] == text_id
    assert api.message("@news", 999) is None


def test_delete_unknown_then_twice(api, tg):
    assert tg.call("deleteMessage", chat_id="@news", message_id=999) == refusal(
        400, "Bad Request: message to delete not found"
    )
    sent = tg.call("sendMessage", chat_id="@news", text="x")[1]["result"]["message_id"]
    assert tg.call("deleteMessage", chat_id="@news", message_id=sent) == (
        200,
        {"ok": True, "result": True},
    )
    assert api.messages("@news") == []
    assert tg.call("deleteMessage", chat_id="@news", message_id=sent)[1]["description"] == (
        "Bad Request: message to delete not found"
    )


def test_delete_after_48_hours_is_refused(api, tg):
    first = tg.call("sendMessage", chat_id="@news", text="1")[1]["result"]["message_id"]
    api.advance(2)
    second = tg.call("sendMessage", chat_id="@news", text="2")[1]["result"]["message_id"]
    api.advance(48 * 3600 - 2)  # the first is 48 h old, the second 2 s short of it
    assert tg.call("deleteMessage", chat_id="@news", message_id=first) == refusal(
        400, "Bad Request: message can't be deleted"
    )
    assert tg.call("deleteMessage", chat_id="@news", message_id=second)[0] == 200
    third = tg.call("sendMessage", chat_id="@news", text="3")[1]["result"]["message_id"]
    api.age("@news", third, 49 * 3600)
    assert tg.call("deleteMessage", chat_id="@news", message_id=third)[0] == 400
    assert [m["text"] for m in api.messages("@news")] == ["1", "3"]


def test_delete_needs_the_right_to_post_or_to_delete(api, tg):
    sent = tg.call("sendMessage", chat_id="@news", text="x")[1]["result"]["message_id"]
    api.set_rights("@news", can_post_messages=False, can_delete_messages=False)
    assert tg.call("deleteMessage", chat_id="@news", message_id=sent) == refusal(
        400, "Bad Request: message can't be deleted"
    )
    api.set_rights("@news", can_delete_messages=True)
    assert tg.call("deleteMessage", chat_id="@news", message_id=sent)[0] == 200
    sent = tg.call("sendMessage", chat_id="@other", text="x")  # not a known chat
    assert sent[0] == 400


def test_a_bot_that_may_post_deletes_its_own_posts_without_can_delete(api, tg):
    # deleteMessage: "Bots granted can_post_messages permissions can delete outgoing
    # messages in channels."
    sent = tg.call("sendMessage", chat_id="@news", text="x")[1]["result"]["message_id"]
    api.set_rights("@news", can_delete_messages=False)
    assert tg.call("deleteMessage", chat_id="@news", message_id=sent)[0] == 200


def test_edit_errors(api, tg):
    text = tg.call("sendMessage", chat_id="@news", text="متن")[1]["result"]["message_id"]
    photo = tg.call("sendPhoto", chat_id="@news", caption="زیر", files={"photo": JPEG})[1]
    photo = photo["result"]["message_id"]
    assert tg.call("editMessageText", chat_id="@news", message_id=photo, text="y") == refusal(
        400, "Bad Request: there is no text in the message to edit"
    )
    assert tg.call("editMessageText", chat_id="@news", message_id=999, text="y") == refusal(
        400, "Bad Request: message to edit not found"
    )
    assert tg.call("editMessageText", chat_id="@news", message_id=text, text="متن") == refusal(
        400, NOT_MODIFIED
    )
    assert tg.call("editMessageCaption", chat_id="@news", message_id=text, caption="y") == (
        refusal(400, "Bad Request: there is no caption in the message to edit")
    )
    assert tg.call("editMessageCaption", chat_id="@news", message_id=photo, caption="زیر") == (
        refusal(400, NOT_MODIFIED)
    )
    status, body = tg.call("editMessageText", chat_id="@news", message_id=text, text="نو")
    assert status == 200 and body["result"]["text"] == "نو" and "edit_date" in body["result"]
    assert tg.call("editMessageCaption", chat_id="@news", message_id=photo, caption="نو")[0] == 200
    assert [m.get("text") or m.get("caption") for m in api.messages("@news")] == ["نو", "نو"]
    api.set_rights("@news", can_post_messages=False, can_edit_messages=False)
    assert tg.call("editMessageText", chat_id="@news", message_id=text, text="z") == refusal(
        400, "Bad Request: message can't be edited"
    )


# -- lengths in UTF-16 units ---------------------------------------------------------------
def test_text_up_to_4096_utf16_units(tg):
    assert tg.call("sendMessage", chat_id="@news", text="ب" * 4096)[0] == 200
    assert tg.call("sendMessage", chat_id="@news", text="ب" * 4097) == refusal(
        400, "Bad Request: message is too long"
    )
    assert tg.call("sendMessage", chat_id="@news", text=EMOJI * 2048)[0] == 200
    # 2049 code points, but 4098 UTF-16 units: too long.
    assert tg.call("sendMessage", chat_id="@news", text=EMOJI * 2049)[0] == 400


def test_html_tags_do_not_count(tg):
    text = "<b>" + "ب" * 4096 + "</b>"
    assert tg.call("sendMessage", chat_id="@news", text=text, parse_mode="HTML")[0] == 200
    assert tg.call("sendMessage", chat_id="@news", text=text)[0] == 400


def test_caption_up_to_1024_utf16_units(tg):
    ok = tg.call("sendPhoto", chat_id="@news", caption="ب" * 1024, files={"photo": JPEG})
    assert ok[0] == 200
    long = tg.call("sendPhoto", chat_id="@news", caption="ب" * 1025, files={"photo": JPEG})
    assert long == refusal(400, "Bad Request: message caption is too long")
    emoji = tg.call("sendPhoto", chat_id="@news", caption=EMOJI * 513, files={"photo": JPEG})
    assert emoji[0] == 400
    a = album(3, caption="ب" * 1025)
    assert tg.call("sendMediaGroup", chat_id="@news", media=a["media"], files=a["files"]) == (
        refusal(400, "Bad Request: message caption is too long")
    )
    photo = ok[1]["result"]["message_id"]
    assert tg.call(
        "editMessageCaption", chat_id="@news", message_id=photo, caption="پ" * 1025
    ) == refusal(400, "Bad Request: message caption is too long")
    assert tg.call("editMessageText", chat_id="@news", message_id=photo, text="پ" * 4097) == (
        refusal(400, "Bad Request: message is too long")
    )


def test_album_sizes(tg):
    a = album(11)
    assert tg.call("sendMediaGroup", chat_id="@news", media=a["media"], files=a["files"]) == (
        refusal(400, "Bad Request: too much messages to send as an album")
    )
    a = album(10)
    status, body = tg.call("sendMediaGroup", chat_id="@news", media=a["media"], files=a["files"])
    assert status == 200 and len(body["result"]) == 10
    assert len({m["media_group_id"] for m in body["result"]}) == 1


# -- rate limits ---------------------------------------------------------------------------
@pytest.fixture
def limited(run, bot):
    api = run(FakeTelegram(enforce_limits=True))
    return api, bot(api, TOKEN)


def test_two_posts_into_one_chat_need_a_second_between_them(limited, clock):
    api, tg = limited
    assert tg.call("sendMessage", chat_id="@c", text="1")[0] == 200
    clock.tick(0.5)
    assert tg.call("sendMessage", chat_id="@c", text="2") == refusal(
        429, "Too Many Requests: retry after 1", retry_after=1
    )
    assert tg.call("sendMessage", chat_id="@d", text="2")[0] == 200  # another chat is free
    assert tg.call("editMessageText", chat_id="@c", message_id=101, text="1b")[0] == 200
    clock.tick(0.5)
    assert tg.call("sendMessage", chat_id="@c", text="2")[0] == 200
    refused = [c for c in api.calls if c.rate_limited]
    assert [(c.status, c.params["text"]) for c in refused] == [(429, "2")]
    assert api.http_429 == 1


def test_twenty_messages_a_minute_per_chat(limited, clock):
    api, tg = limited
    for i in range(20):
        assert tg.call("sendMessage", chat_id="@c", text=str(i))[0] == 200
        clock.tick(1.0)
    # The first went in 20 s ago: it leaves the window in 40 s.
    assert tg.call("sendMessage", chat_id="@c", text="x") == refusal(
        429, "Too Many Requests: retry after 40", retry_after=40
    )
    clock.tick(39.5)
    assert tg.call("sendMessage", chat_id="@c", text="x")[0] == 429
    clock.tick(0.5)
    assert tg.call("sendMessage", chat_id="@c", text="x")[0] == 200
    assert api.http_429 == 2 and len(api.messages("@c")) == 21


def test_an_album_counts_each_photo_and_one_request(limited, clock):
    api, tg = limited
    for _ in range(2):
        a = album(10)
        assert tg.call("sendMediaGroup", chat_id="@c", media=a["media"], files=a["files"])[0] == (
            200
        )
        clock.tick(1.0)  # one request: the gap is one second, not ten
    assert tg.call("sendMessage", chat_id="@c", text="x")[0] == 429  # 20 photos this minute
    assert len(api.messages("@c")) == 20


def test_thirty_messages_a_second_per_bot(limited, clock, bot):
    api, tg = limited
    for chat in ("@a", "@b"):
        a = album(10)
        assert tg.call("sendMediaGroup", chat_id=chat, media=a["media"], files=a["files"])[0] == (
            200
        )
    for i in range(9):
        assert tg.call("sendMessage", chat_id=f"@c{i}", text="x")[0] == 200
    a = album(2)  # 29 so far: an album of 2 does not fit, and none of it is posted
    status, body = tg.call("sendMediaGroup", chat_id="@z", media=a["media"], files=a["files"])
    assert (status, body["parameters"]) == (429, {"retry_after": 1})
    assert api.messages("@z") == []
    assert tg.call("sendMessage", chat_id="@y", text="x")[0] == 200  # the 30th
    assert tg.call("sendMessage", chat_id="@x", text="x")[0] == 429
    assert bot(api, "777:other").call("sendMessage", chat_id="@x", text="x")[0] == 200
    clock.tick(1.0)
    assert tg.call("sendMessage", chat_id="@x", text="x")[0] == 200


def test_refused_posts_do_not_count(limited, clock):
    api, tg = limited
    assert tg.call("sendMessage", chat_id="@c", text="ب" * 5000)[0] == 400
    assert tg.call("sendMessage", chat_id="@c", text="x")[0] == 200
    assert api.http_429 == 0


def test_limits_are_off_unless_asked(run, bot):
    api = run(FakeTelegram())
    tg = bot(api, TOKEN)
    assert all(tg.call("sendMessage", chat_id="@c", text="x")[0] == 200 for _ in range(25))


# -- scripted failures in Telegram's shape --------------------------------------------------
def test_scripted_failures(api, tg):
    api.answer_401()
    api.answer_429(retry_after=7)
    api.answer_403()
    api.answer_400("Bad Request: message can't be deleted")
    api.answer_500()
    assert tg.call("getMe") == refusal(401, "Unauthorized")
    assert tg.call("getMe") == refusal(429, "Too Many Requests: retry after 7", retry_after=7)
    assert tg.call("getMe") == refusal(403, "Forbidden: bot was kicked from the channel chat")
    assert tg.call("getMe") == refusal(400, "Bad Request: message can't be deleted")
    assert tg.call("getMe") == refusal(500, "Internal Server Error")
    assert [c.rate_limited for c in api.calls] == [False, True, False, False, False]
    assert api.http_429 == 1
