"""FakeBale: Telegram's API with Bale's own refusals (hamafza_fakes/telegram.py gives the
source of each)."""

import pytest

from hamafza_fakes import FakeBale

TOKEN = "987654:bale-secret"
JPEG = ("a.jpg", b"\xff\xd8\xff" + b"2" * 40)
EMOJI = "\U0001f600"


def refusal(code, description, **parameters):
    body = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return code, body


TOKEN_NOT_FOUND = refusal(400, "Bad Request: Token not found")
NO_SUCH_CHAT = refusal(400, "no such group or user")


@pytest.fixture
def api(run):
    return run(FakeBale(chats={"@news": {"members": 55}, "4455": {}}))


@pytest.fixture
def bale(api, bot):
    return bot(api, TOKEN)


def test_a_bad_token_is_token_not_found(run, bot):
    api = run(FakeBale(valid_tokens={TOKEN}))
    assert bot(api, "1:other").call("getMe") == TOKEN_NOT_FOUND
    assert bot(api, "malformed").call("getMe") == TOKEN_NOT_FOUND
    assert bot(api, TOKEN).call("getMe")[1]["result"]["id"] == 987654
    api.answer_401()
    assert bot(api, TOKEN).call("getMe") == TOKEN_NOT_FOUND


def test_unknown_chat_and_not_a_member_are_no_such_group_or_user(api, bale):
    assert bale.call("sendMessage", chat_id="@elsewhere", text="x") == NO_SUCH_CHAT
    assert bale.call("sendMessage", chat_id="4455", text="x")[0] == 200  # a numeric id
    api.set_rights("@news", admin=False, member=False)
    assert bale.call("sendMessage", chat_id="@news", text="x") == NO_SUCH_CHAT


def test_a_member_without_rights_is_permission_denied(api, bale):
    api.set_rights("@news", admin=False)
    assert bale.call("sendMessage", chat_id="@news", text="x") == refusal(
        403, "Forbidden: permission_denied"
    )
    member = bale.call("getChatMember", chat_id="@news", user_id=987654)[1]["result"]
    assert member["status"] == "member"
    api.answer_403()
    assert bale.call("getMe") == refusal(403, "Forbidden: permission_denied")


def test_both_member_count_names_answer(bale):
    assert bale.call("getChatMemberCount", chat_id="@news")[1]["result"] == 55
    assert bale.call("getChatMembersCount", chat_id="@news")[1]["result"] == 55
    admins = bale.call("getChatAdministrators", chat_id="@news")[1]["result"]
    assert admins[-1]["user"]["id"] == 987654 and admins[-1]["can_post_messages"] is True


def test_delete_and_edit_as_on_telegram(api, bale):
    sent = bale.call("sendMessage", chat_id="@news", text="x")[1]["result"]["message_id"]
    photo = bale.call("sendPhoto", chat_id="@news", files={"photo": JPEG})[1]["result"]
    assert bale.call("editMessageText", chat_id="@news", message_id=photo["message_id"], text="y")[
        1
    ]["description"] == ("Bad Request: there is no text in the message to edit")
    api.advance(48 * 3600)
    assert bale.call("deleteMessage", chat_id="@news", message_id=sent) == refusal(
        400, "Bad Request: message can't be deleted"
    )
    assert bale.call("deleteMessage", chat_id="@news", message_id=12345) == refusal(
        400, "Bad Request: message to delete not found"
    )


def test_lengths_in_utf16_units_and_no_parse_mode(bale):
    assert bale.call("sendMessage", chat_id="@news", text="ب" * 4096)[0] == 200
    assert bale.call("sendMessage", chat_id="@news", text="ب" * 4097) == refusal(
        400, "Bad Request: message is too long"
    )
    assert bale.call("sendMessage", chat_id="@news", text=EMOJI * 2049)[0] == 400
    html = "<b>" + "ب" * 4094 + "</b>"  # Bale does not parse HTML: the tags count
    assert bale.call("sendMessage", chat_id="@news", text=html, parse_mode="HTML")[0] == 400
    ok = bale.call("sendPhoto", chat_id="@news", caption="ب" * 1024, files={"photo": JPEG})
    assert ok[0] == 200
    long = bale.call("sendPhoto", chat_id="@news", caption="ب" * 1025, files={"photo": JPEG})
    assert long == refusal(400, "Bad Request: message caption is too long")


@pytest.mark.parametrize(
    ("style", "answer"),
    [
        ("429", refusal(429, "Too Many Requests: retry after 1", retry_after=1)),
        ("bot limit exceed", refusal(400, "bot limit exceed")),
    ],
)
def test_both_limit_styles(run, bot, clock, style, answer):
    api = run(FakeBale(enforce_limits=True, bale_limit_style=style))
    bale = bot(api, TOKEN)
    assert bale.call("sendMessage", chat_id="@c", text="1")[0] == 200
    clock.tick(0.9)
    assert bale.call("sendMessage", chat_id="@c", text="2") == answer
    api.answer_429()  # scripted: the same shape
    assert bale.call("getMe") == answer
    assert [c.rate_limited for c in api.calls] == [False, True, True]
    assert [c.status for c in api.calls][1:] == [answer[0]] * 2
    assert api.http_429 == 2


def test_an_album_counts_each_photo_on_bale(run, bot, clock):
    import json

    api = run(FakeBale(enforce_limits=True, bale_limit_style="bot limit exceed"))
    bale = bot(api, TOKEN)
    media = json.dumps([{"type": "photo", "media": f"attach://p{i}"} for i in range(10)])
    files = {f"p{i}": JPEG for i in range(10)}
    for _ in range(2):
        assert bale.call("sendMediaGroup", chat_id="@c", media=media, files=files)[0] == 200
        clock.tick(1.0)
    assert bale.call("sendMessage", chat_id="@c", text="x") == refusal(400, "bot limit exceed")


def test_an_unknown_limit_style_is_refused():
    with pytest.raises(ValueError):
        FakeBale(bale_limit_style="420")


def test_a_server_error_is_bales_internal_server_error(api, bale):
    api.answer_500()
    assert bale.call("getMe") == (500, {"ok": False, "description": "internal server error"})
