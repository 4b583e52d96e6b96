"""FakeRubika: {"status", "data"} answers, GUID chat ids, string message ids, the
three-step upload in its three answer shapes (hamafza_fakes/rubika.py gives the sources)."""

import pytest

from hamafza_fakes import FakeRubika
from hamafza_fakes.rubika import NO_ACCESS

TOKEN = "RUBIKA-token"
PNG = ("n.png", b"\x89PNG\r\n\x1a\n" + b"4" * 40)
EMOJI = "\U0001f600"
INVALID_INPUT = (200, {"status": "INVALID_INPUT"})
NO_ACCESS_ANSWER = (200, {"status": "INVALID_ACCESS", "dev_message": NO_ACCESS})


@pytest.fixture
def api(run):
    return run(FakeRubika(chats={"c0news": {"title": "خبر"}, "c0other": {"admin": False}}))


@pytest.fixture
def rb(api, bot):
    return bot(api, TOKEN)


def send_photo(rb, upload, chat="c0news", caption=""):
    status, body = rb.call("requestSendFile", type="Image")
    assert status == 200
    status, up = upload(body["data"]["upload_url"], *PNG)
    assert status == 200
    file_id = up["data"]["file_id"] if "data" in up else up["file_id"]
    return rb.call("sendFile", chat_id=chat, file_id=file_id, text=caption)


def test_a_bad_token_is_invalid_access(run, bot):
    api = run(FakeRubika(valid_tokens={TOKEN}))
    assert bot(api, "other").call("getMe") == (
        200,
        {"status": "INVALID_ACCESS", "dev_message": "token is not valid."},
    )
    status, body = bot(api, TOKEN).call("getMe")
    assert status == 200 and body["status"] == "OK" and body["data"]["bot"]["bot_id"]


def test_chats_are_guids_and_an_unknown_one_is_invalid_input(run, bot):
    api = run(FakeRubika())
    rb = bot(api, TOKEN)
    assert rb.call("sendMessage", chat_id="@behzisti", text="x") == INVALID_INPUT
    assert rb.call("sendMessage", chat_id="c0Behzisti12", text="x")[0] == 200
    with pytest.raises(ValueError):
        api.set_rights("@behzisti")


def test_unknown_chat_and_no_access(rb, api):
    assert rb.call("sendMessage", chat_id="c0elsewhere", text="x") == INVALID_INPUT
    assert rb.call("sendMessage", chat_id="c0other", text="x") == NO_ACCESS_ANSWER
    assert "\u2019" in NO_ACCESS
    api.set_rights("c0other", admin=True)
    assert rb.call("sendMessage", chat_id="c0other", text="x")[0] == 200


def test_get_chat(rb):
    assert rb.call("getChat", chat_id="c0news") == (
        200,
        {
            "status": "OK",
            "data": {"chat": {"chat_id": "c0news", "chat_type": "Channel", "title": "خبر"}},
        },
    )
    assert rb.call("getChat", chat_id="c0nothing") == INVALID_INPUT
    assert rb.call("getChatMemberCount", chat_id="c0news") == INVALID_INPUT  # undocumented


@pytest.mark.parametrize(
    ("shape", "answer_keys"),
    [("enveloped", {"status", "data"}), ("data_only", {"data"}), ("top_level", {"file_id"})],
)
def test_upload_shapes(run, bot, upload, shape, answer_keys):
    api = run(FakeRubika(upload_shape=shape))
    rb = bot(api, TOKEN)
    status, body = rb.call("requestSendFile", type="Image")
    url = body["data"]["upload_url"]
    assert url.startswith(api.origin + "/upload/") and TOKEN not in url
    status, up = upload(url, *PNG)
    assert status == 200 and set(up) == answer_keys
    file_id = up.get("file_id") or up["data"]["file_id"]
    assert api.files[file_id] == PNG
    status, sent = rb.call("sendFile", chat_id="c0news", file_id=file_id, text="زیرنویس")
    assert status == 200 and isinstance(sent["data"]["message_id"], str)
    kept = api.message("c0news", sent["data"]["message_id"])
    assert (kept["kind"], kept["caption"]) == ("photo", "زیرنویس")


def test_an_unknown_shape_or_file_type_is_refused(rb, api, upload):
    with pytest.raises(ValueError):
        FakeRubika(upload_shape="flat")
    assert rb.call("requestSendFile", type="Photo") == INVALID_INPUT
    assert rb.call("sendFile", chat_id="c0news", file_id="nope") == INVALID_INPUT
    assert upload(api.origin + "/upload/unknown", *PNG)[0] == 404


def test_message_ids_are_strings_and_edit_and_delete_act_on_them(rb, api, upload):
    body = rb.call("sendMessage", chat_id="c0news", text="قدیم")[1]
    message_id = body["data"]["message_id"]
    assert isinstance(message_id, str)
    edited = rb.call("editMessageText", chat_id="c0news", message_id=message_id, text="نو")
    assert edited == (200, {"status": "OK", "data": {}})
    assert api.message("c0news", message_id)["text"] == "نو"
    photo_id = send_photo(rb, upload)[1]["data"]["message_id"]
    assert (
        rb.call("editMessageText", chat_id="c0news", message_id=photo_id, text="y") == INVALID_INPUT
    )
    assert rb.call("deleteMessage", chat_id="c0news", message_id=message_id)[0] == 200
    assert rb.call("deleteMessage", chat_id="c0news", message_id=message_id) == INVALID_INPUT
    assert rb.call("editMessageText", chat_id="c0news", message_id="1", text="y") == INVALID_INPUT
    assert [m["message_id"] for m in api.messages("c0news")] == [photo_id]
    api.set_rights("c0news", admin=False)
    assert rb.call("deleteMessage", chat_id="c0news", message_id=photo_id) == NO_ACCESS_ANSWER


def test_lengths_in_code_points(rb, upload):
    assert rb.call("sendMessage", chat_id="c0news", text=EMOJI * 4096)[0] == 200
    assert rb.call("sendMessage", chat_id="c0news", text="ب" * 4097) == INVALID_INPUT
    assert send_photo(rb, upload, caption=EMOJI * 1024)[0] == 200
    assert send_photo(rb, upload, caption="ب" * 1025) == INVALID_INPUT


def test_limits_answer_too_requests_with_http_200(run, bot, clock, upload):
    api = run(FakeRubika(enforce_limits=True))
    rb = bot(api, TOKEN)
    assert rb.call("sendMessage", chat_id="c0a", text="1")[0] == 200
    clock.tick(0.5)
    assert send_photo(rb, upload, chat="c0a") == (200, {"status": "TOO_REQUESTS"})
    clock.tick(0.5)
    assert rb.call("sendMessage", chat_id="c0a", text="2")[0] == 200
    refused = [c for c in api.calls if c.rate_limited]
    assert [(c.method, c.status) for c in refused] == [("sendFile", 200)]
    assert api.http_429 == 1


def test_scripted_failures_in_rubikas_shape(api, rb):
    api.answer_401()
    api.answer_403()
    api.answer_429()
    api.answer_400("bad")
    api.answer_500()
    assert [rb.call("getMe") for _ in range(5)] == [
        (200, {"status": "INVALID_ACCESS", "dev_message": "token is not valid."}),
        NO_ACCESS_ANSWER,
        (200, {"status": "TOO_REQUESTS"}),
        (200, {"status": "INVALID_INPUT", "dev_message": "bad"}),
        (500, {"status": "SERVER_ERROR"}),
    ]
    assert [c.rate_limited for c in api.calls] == [False, False, True, False, False]
