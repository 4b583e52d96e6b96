"""Rubika's bot API against the local fake: text, the three-step photo upload, edit and
delete, and every answer class (a timeout before sendFile posts nothing: retry)."""

import pytest

from hamafza.publishing.platforms.base import Message, Outcome, plan
from hamafza.publishing.platforms.rubika import TOO_REQUESTS_PAUSE, RubikaAdapter
from hamafza_fakes import FakeRubika, refused_url, unanswered_connect

TOKEN = "RUBIKA-SECRET-token"
CHAT = "c0behzisti"
PNG = b"\x89PNG\r\n\x1a\n" + b"2" * 300


@pytest.fixture
def api():
    with FakeRubika() as fake:
        yield fake


def adapter(base_url, chat_id=CHAT, **kwargs):
    kwargs.setdefault("timeout", 2.0)
    kwargs.setdefault("connect_timeout", 1.0)
    return RubikaAdapter(base_url=base_url, token=TOKEN, chat_id=chat_id, **kwargs)


def test_text_is_sent_as_json(api):
    result = adapter(api.base_url).publish(Message(text="سلام روبیکا"))
    assert result.outcome == Outcome.SENT
    assert result.remote_id == api.posted()[0]["message_id"]
    assert result.remote_url == ""
    call = api.calls_to("sendMessage")[0]
    assert call.path == f"/v3/{TOKEN}/sendMessage"
    assert call.params == {"chat_id": "c0behzisti", "text": "سلام روبیکا"}


def test_photo_takes_three_steps(api):
    result = adapter(api.base_url).publish(
        Message(text="عکس خبر", photos=[PNG], photo_names=["n.png"])
    )
    assert result.outcome == Outcome.SENT
    methods = [c.method.split(":")[0] for c in api.calls]
    assert methods == ["requestSendFile", "upload", "sendFile"]
    assert api.calls[0].params == {"type": "Image"}
    assert api.calls[1].files["file"] == ("n.png", PNG)
    send = api.calls[2]
    assert send.params["text"] == "عکس خبر"
    assert api.files[send.params["file_id"]] == ("n.png", PNG)


def test_long_text_follows_the_photo_and_can_be_edited(api):
    a = adapter(api.base_url)
    sent = a.publish(Message(text="ر" * 1500, photos=[PNG]))
    assert sent.outcome == Outcome.SENT
    _photo_id, text_id = sent.remote_id.split(",")
    result = a.edit(list(sent.parts), Message(text="ز" * 1500))
    assert result.outcome == Outcome.SENT
    assert api.message(CHAT, text_id)["text"] == "ز" * 1500
    assert api.calls_to("editMessageText")[0].params["message_id"] == text_id


def test_a_caption_alone_cannot_be_edited(api):
    a = adapter(api.base_url)
    sent = a.publish(Message(text="کوتاه", photos=[PNG]))
    assert a.edit(list(sent.parts), Message(text="دیگر")).outcome == Outcome.FAILED


def test_edit_and_delete_text(api):
    a = adapter(api.base_url)
    sent = a.publish(Message(text="قدیم"))
    assert a.edit(list(sent.parts), Message(text="جدید")).outcome == Outcome.SENT
    assert api.messages()[0]["text"] == "جدید"
    assert a.delete(list(sent.parts)).outcome == Outcome.SENT
    assert api.messages() == []
    assert api.calls_to("deleteMessage")[0].params == {
        "chat_id": CHAT,
        "message_id": sent.remote_id,
    }


def test_no_albums_on_rubika_only_the_first_photo_goes(api):
    result = adapter(api.base_url).publish(Message(text="x", photos=[PNG, PNG]))
    assert result.outcome == Outcome.SENT
    assert len(api.calls_to("sendFile")) == 1


def test_too_requests_is_a_rate_limit_that_holds_every_sender_back(api):
    api.answer_429(retry_after=4)
    result = adapter(api.base_url).publish(Message(text="x"))
    assert api.calls[0].status == 200  # Rubika says it in the body
    assert result.outcome == Outcome.RETRY
    assert result.retry_after == TOO_REQUESTS_PAUSE  # Rubika gives no figure of its own


@pytest.mark.parametrize("shape", ["enveloped", "data_only", "top_level"])
def test_the_file_id_is_read_where_the_upload_puts_it(shape):
    with FakeRubika(upload_shape=shape) as api:
        result = adapter(api.base_url).publish(Message(text="عکس", photos=[PNG]))
    assert result.outcome == Outcome.SENT
    assert len(api.calls_to("sendFile")) == 1


def test_the_check_asks_getme_and_the_channel():
    with FakeRubika(chats={CHAT}) as api:
        assert adapter(api.base_url).check() == ""
        assert [c.method for c in api.calls] == ["getMe", "getChat"]
        assert "دسترسی" in adapter(api.base_url, chat_id="c0SomeoneElse1").check()
    with FakeRubika(valid_tokens={"other"}) as api:
        assert "توکن" in adapter(api.base_url).check()


def test_5xx_is_retry(api):
    api.answer_500()
    assert adapter(api.base_url).publish(Message(text="x")).outcome == Outcome.RETRY


def test_invalid_access_in_body_is_credentials():
    with FakeRubika(valid_tokens={"good"}) as api:
        result = adapter(api.base_url).publish(Message(text="x"))
    assert result.outcome == Outcome.CREDENTIALS
    assert "INVALID_ACCESS" in result.error


def test_http_401_is_credentials(api):
    api.answer_401()
    assert adapter(api.base_url).publish(Message(text="x")).outcome == Outcome.CREDENTIALS


def test_invalid_input_is_failed(api):
    result = adapter(api.base_url).publish(Message(text="x" * 5000))
    assert result.outcome == Outcome.FAILED
    assert "INVALID_INPUT" in result.error


def test_read_timeout_on_send_is_unconfirmed(api):
    api.hang(seconds=3, method="sendFile")
    result = adapter(api.base_url, timeout=0.3).publish(Message(text="x", photos=[PNG]))
    assert result.outcome == Outcome.UNCONFIRMED
    assert len(api.messages()) == 1


def test_read_timeout_before_send_file_is_retry(api):
    # requestSendFile and the upload post nothing: a timeout there is safe to retry.
    api.hang(seconds=3, method="requestSendFile")
    result = adapter(api.base_url, timeout=0.3).publish(Message(text="x", photos=[PNG]))
    assert result.outcome == Outcome.RETRY
    assert api.messages() == []


def test_failed_upload_step_stops_before_sending(api):
    api.answer_500(method="requestSendFile")
    result = adapter(api.base_url).publish(Message(text="x", photos=[PNG]))
    assert result.outcome == Outcome.RETRY
    assert api.calls_to("sendFile") == []


def test_connect_refused_and_connect_timeout_are_retry():
    assert adapter(refused_url()).publish(Message(text="x")).outcome == Outcome.RETRY
    with unanswered_connect() as url:
        result = adapter(url, connect_timeout=0.3).publish(Message(text="x"))
    assert result.outcome == Outcome.RETRY


def test_a_photo_is_uploaded_before_its_slot_and_only_sendfile_posts(api):
    """The outbox prepares a part (the upload) before it takes the part's rate slot, so
    the slot's moment is the moment sendFile posts."""
    a = adapter(api.base_url)
    message = Message(text="عکس", photos=[PNG])
    (part,) = plan(a.platform, message)
    ready = a.prepare(part, message)
    assert ready.prepared and [c.method.split(":")[0] for c in api.calls] == [
        "requestSendFile",
        "upload",
    ]
    assert a.send(ready, message).outcome == Outcome.SENT
    assert [c.method.split(":")[0] for c in api.calls][2:] == ["sendFile"]
