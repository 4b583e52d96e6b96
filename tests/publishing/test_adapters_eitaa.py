"""Eitaa through the Eitaayar API, against its local server: messages, one photo per
message, the connection check, and every answer class (a bare {"ok": false} breaks the
connection: Eitaayar gives no reason)."""

import pytest

from hamafza.publishing.platforms.base import Message, Outcome, SentPart
from hamafza.publishing.platforms.eitaa import EitaaAdapter
from hamafza_fakes import FakeEitaa, refused_url, unanswered_connect

TOKEN = "eitaayar-SECRET-token"
JPEG = b"\xff\xd8\xff\xe0" + b"1" * 300


@pytest.fixture
def api():
    with FakeEitaa() as fake:
        yield fake


def adapter(base_url, chat_id="behzisti_sb", **kwargs):
    kwargs.setdefault("timeout", 2.0)
    kwargs.setdefault("connect_timeout", 1.0)
    return EitaaAdapter(base_url=base_url, token=TOKEN, chat_id=chat_id, **kwargs)


def test_text_is_sent_to_token_path_with_link(api):
    result = adapter(api.base_url).publish(Message(text="سلام ایتا"))
    assert result.outcome == Outcome.SENT
    assert result.remote_id == "101"
    assert result.remote_url == "https://eitaa.com/behzisti_sb/101"
    call = api.calls_to("sendMessage")[0]
    assert call.path == f"/api/{TOKEN}/sendMessage"
    assert call.params == {"chat_id": "behzisti_sb", "text": "سلام ایتا"}


def test_photo_goes_by_send_file_multipart(api):
    result = adapter(api.base_url).publish(
        Message(text="عکس", photos=[JPEG], photo_names=["p.jpg"])
    )
    assert result.outcome == Outcome.SENT
    call = api.calls_to("sendFile")[0]
    assert call.files["file"] == ("p.jpg", JPEG)
    assert call.params["caption"] == "عکس"


def test_long_text_follows_the_photo(api):
    result = adapter(api.base_url).publish(Message(text="ت" * 2000, photos=[JPEG]))
    assert result.outcome == Outcome.SENT
    assert result.remote_id == "101,102"
    assert [c.method for c in api.calls] == ["sendFile", "sendMessage"]


def test_no_albums_on_eitaa_only_the_first_photo_goes(api):
    result = adapter(api.base_url).publish(Message(text="x", photos=[JPEG, JPEG + b"2"]))
    assert result.outcome == Outcome.SENT
    assert [c.method for c in api.calls] == ["sendFile"]
    assert api.calls[0].files["file"][1] == JPEG
    assert EitaaAdapter.platform.albums is False


def test_429_with_retry_after(api):
    api.answer_429(retry_after=5)
    result = adapter(api.base_url).publish(Message(text="x"))
    assert result.outcome == Outcome.RETRY and result.retry_after == 5


def test_5xx_is_retry(api):
    api.answer_500()
    assert adapter(api.base_url).publish(Message(text="x")).outcome == Outcome.RETRY


def test_a_bare_refusal_breaks_the_connection_with_a_reason_people_can_act_on():
    with FakeEitaa(valid_tokens={"good"}) as api:
        result = adapter(api.base_url).publish(Message(text="x"))
    assert api.calls[0].status == 200  # Eitaayar's {"ok": false}, nothing more
    assert result.outcome == Outcome.CREDENTIALS
    assert "wrong or revoked token" in result.error


def test_an_unknown_channel_breaks_the_connection_too(api):
    api.any_chat = False  # the platform knows no channel of that name
    result = adapter(api.base_url, chat_id="no_such_channel").publish(Message(text="x"))
    assert result.outcome == Outcome.CREDENTIALS


def test_read_timeout_is_unconfirmed(api):
    api.hang(seconds=3)
    result = adapter(api.base_url, timeout=0.3).publish(Message(text="x"))
    assert result.outcome == Outcome.UNCONFIRMED
    assert len(api.messages()) == 1


def test_connect_refused_and_connect_timeout_are_retry():
    assert adapter(refused_url()).publish(Message(text="x")).outcome == Outcome.RETRY
    with unanswered_connect() as url:
        result = adapter(url, connect_timeout=0.3).publish(Message(text="x"))
    assert result.outcome == Outcome.RETRY


def test_no_edit_or_delete_on_eitaayar(api):
    a = adapter(api.base_url)
    sent = [SentPart("text", ("101",))]
    assert a.edit(sent, Message(text="x")).outcome == Outcome.FAILED
    assert a.delete(sent).outcome == Outcome.FAILED
    assert api.calls == []


def test_the_check_asks_getme_and_names_a_bad_token():
    with FakeEitaa(valid_tokens={TOKEN}) as api:
        assert adapter(api.base_url).check() == ""
        assert [c.method for c in api.calls] == ["getMe"]
    with FakeEitaa(valid_tokens={"other"}) as api:
        assert "توکن" in adapter(api.base_url).check()


def test_text_at_the_limit_goes_and_one_over_is_refused(api):
    limit = EitaaAdapter.platform.text_limit
    assert adapter(api.base_url).publish(Message(text="ت" * limit)).outcome == Outcome.SENT
    over = adapter(api.base_url).publish(Message(text="ت" * (limit + 1)))
    # Eitaayar says nothing more than {"ok": false}; getMe shows the token works, so the
    # reason given is the channel (the outbox never sends a text over the limit).
    assert over.outcome == Outcome.CREDENTIALS and "token works" in over.error
    assert [c.method for c in api.calls][-2:] == ["sendMessage", "getMe"]


def test_a_channel_name_kept_with_an_at_sign_goes_without_it(api):
    """A connection made before chat ids were checked, or a channel whose handle stands in
    for its chat id, holds "@behzisti_sb": Eitaayar wants the bare name."""
    result = adapter(api.base_url, chat_id="@behzisti_sb").publish(Message(text="سلام"))
    assert result.outcome == Outcome.SENT
    assert result.remote_url == "https://eitaa.com/behzisti_sb/101"
    assert api.calls_to("sendMessage")[0].params["chat_id"] == "behzisti_sb"
