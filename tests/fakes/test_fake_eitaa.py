"""FakeEitaa: Eitaayar's getMe, sendMessage and sendFile, every failure a bare
{"ok": false} (hamafza_fakes/eitaa.py gives the sources)."""

import pytest

from hamafza_fakes import FakeEitaa

TOKEN = "bot12345:0e3f-uuid"
BARE = (200, {"ok": False})
FILE = ("a.jpg", b"\xff\xd8\xff" + b"3" * 40)
EMOJI = "\U0001f600"


@pytest.fixture
def api(run):
    return run(FakeEitaa())


@pytest.fixture
def eitaa(api, bot):
    return bot(api, TOKEN)


def test_a_bad_token_is_a_bare_refusal(run, bot):
    api = run(FakeEitaa(valid_tokens={TOKEN}))
    assert bot(api, "bot1:other").call("sendMessage", chat_id="news", text="x") == BARE
    status, body = bot(api, TOKEN).call("getMe")
    assert status == 200 and body["result"]["id"] == 12345 and body["result"]["is_bot"]
    assert api.messages() == []


def test_chat_ids_are_names_without_at_or_numbers(eitaa, api):
    assert eitaa.call("sendMessage", chat_id="@news", text="x") == BARE
    status, body = eitaa.call("sendMessage", chat_id="news", text="سلام", title="برچسب")
    assert status == 200 and body["ok"] is True
    result = body["result"]
    assert (result["message_id"], result["text"], result["chat"]["username"]) == (
        101,
        "سلام",
        "news",
    )
    assert result["from"]["is_bot"] is True
    assert eitaa.call("sendMessage", chat_id="10872172", text="x")[0] == 200
    assert api.message("news", 101)["title"] == "برچسب"
    with pytest.raises(ValueError):
        api.set_rights("@news")


def test_unknown_chat_and_no_rights_are_bare(run, bot):
    api = run(FakeEitaa(chats={"news": {}, "other": {"admin": False}}))
    eitaa = bot(api, TOKEN)
    assert eitaa.call("sendMessage", chat_id="elsewhere", text="x") == BARE
    assert eitaa.call("sendMessage", chat_id="other", text="x") == BARE
    assert eitaa.call("sendFile", chat_id="other", files={"file": FILE}) == BARE
    assert eitaa.call("sendMessage", chat_id="news", text="x")[0] == 200
    api.set_rights("news", can_post_messages=False)
    assert eitaa.call("sendMessage", chat_id="news", text="x") == BARE


def test_send_file_with_caption_is_kept(eitaa, api):
    status, body = eitaa.call("sendFile", chat_id="news", caption="زیرنویس", files={"file": FILE})
    assert status == 200 and body["result"]["document"]["file_name"] == "a.jpg"
    kept = api.messages("news")
    assert [(m["kind"], m["caption"]) for m in kept] == [("file", "زیرنویس")]
    assert eitaa.call("sendFile", chat_id="news", caption="x") == BARE  # no file


def test_no_edit_delete_or_album(eitaa, api):
    eitaa.call("sendMessage", chat_id="news", text="x")
    for method in ("deleteMessage", "editMessageText", "sendPhoto", "sendMediaGroup", "getChat"):
        assert eitaa.call(method, chat_id="news", message_id=101, text="y") == BARE
    assert len(api.messages("news")) == 1


def test_lengths_in_code_points(eitaa):
    assert eitaa.call("sendMessage", chat_id="news", text=EMOJI * 4096)[0] == 200
    assert eitaa.call("sendMessage", chat_id="news", text="ب" * 4097) == BARE
    assert eitaa.call("sendMessage", chat_id="news", text="  ") == BARE
    ok = eitaa.call("sendFile", chat_id="news", caption=EMOJI * 1024, files={"file": FILE})
    assert ok[0] == 200
    long = eitaa.call("sendFile", chat_id="news", caption="ب" * 1025, files={"file": FILE})
    assert long == BARE


def test_limits_answer_telegrams_429(run, bot, clock):
    api = run(FakeEitaa(enforce_limits=True))
    eitaa = bot(api, TOKEN)
    assert eitaa.call("sendMessage", chat_id="news", text="1")[0] == 200
    clock.tick(0.2)
    assert eitaa.call("sendFile", chat_id="news", files={"file": FILE}) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )
    clock.tick(0.8)
    assert eitaa.call("sendMessage", chat_id="news", text="2")[0] == 200
    for i in range(18):
        clock.tick(1.0)
        assert eitaa.call("sendMessage", chat_id="news", text=str(i))[0] == 200
    clock.tick(1.0)
    assert eitaa.call("sendMessage", chat_id="news", text="21st")[0] == 429
    assert api.http_429 == 2 and [c.rate_limited for c in api.calls].count(True) == 2


def test_scripted_failures_are_bare(api, eitaa):
    api.answer_401()
    api.answer_403()
    api.answer_400("anything")
    api.answer_500()
    assert [eitaa.call("getMe") for _ in range(4)] == [BARE, BARE, BARE, (500, {"ok": False})]


def test_a_future_date_is_kept_as_scheduled(eitaa, api, clock):
    when = int(clock.now) + 3600
    eitaa.call("sendMessage", chat_id="news", text="بعدا", date=when)
    assert api.messages("news")[0]["scheduled_for"] == when
