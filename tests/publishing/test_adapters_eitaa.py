"""Eitaa through the Eitaayar API, against the local fake: messages, one photo per
message, server-side scheduling with `date`, and every answer class."""

from datetime import UTC, datetime, timedelta

import pytest

from hamafza.publishing.platforms.base import Message, Outcome
from hamafza.publishing.platforms.eitaa import EitaaAdapter
from hamafza_fakes import FakeEitaa, refused_url, unanswered_connect

TOKEN = "eitaayar-SECRET-token"
JPEG = b"\xff\xd8\xff\xe0" + b"1" * 300


@pytest.fixture
def api():
    with FakeEitaa() as fake:
        yield fake


def adapter(base_url, **kwargs):
    kwargs.setdefault("timeout", 2.0)
    kwargs.setdefault("connect_timeout", 1.0)
    return EitaaAdapter(base_url=base_url, token=TOKEN, chat_id="@behzisti_sb", **kwargs)


def test_text_is_sent_to_token_path_with_link(api):
    result = adapter(api.base_url, title="خبر روز").publish(Message(text="سلام ایتا"))
    assert result.outcome == Outcome.SENT
    assert result.remote_id == "101"
    assert result.remote_url == "https://eitaa.com/behzisti_sb/101"
    call = api.calls_to("sendMessage")[0]
    assert call.path == f"/api/{TOKEN}/sendMessage"
    assert call.params == {"chat_id": "@behzisti_sb", "title": "خبر روز", "text": "سلام ایتا"}
    assert "date" not in call.params


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


def test_no_albums_on_eitaa(api):
    result = adapter(api.base_url).publish(Message(text="x", photos=[JPEG, JPEG]))
    assert result.outcome == Outcome.FAILED
    assert api.calls == []
    assert EitaaAdapter.supports_album is False and EitaaAdapter.max_album == 1


def test_date_schedules_on_eitaayar(api):
    when = datetime.now(UTC) + timedelta(hours=3)
    result = adapter(api.base_url).publish(Message(text="بعداً"), send_at=when)
    assert result.outcome == Outcome.SENT
    call = api.calls_to("sendMessage")[0]
    assert int(call.params["date"]) == int(when.timestamp())
    assert api.posted()[0]["scheduled_for"] == int(when.timestamp())


def test_date_schedules_a_photo_too(api):
    when = datetime.now(UTC) + timedelta(days=1)
    adapter(api.base_url).publish(Message(text="x", photos=[JPEG]), send_at=when)
    assert int(api.calls_to("sendFile")[0].params["date"]) == int(when.timestamp())


def test_429_with_retry_after(api):
    api.answer_429(retry_after=5)
    result = adapter(api.base_url).publish(Message(text="x"))
    assert result.outcome == Outcome.RETRY and result.retry_after == 5


def test_5xx_is_retry(api):
    api.answer_500()
    assert adapter(api.base_url).publish(Message(text="x")).outcome == Outcome.RETRY


def test_bad_token_is_credentials():
    with FakeEitaa(valid_tokens={"good"}) as api:
        assert adapter(api.base_url).publish(Message(text="x")).outcome == Outcome.CREDENTIALS


def test_scripted_401_is_credentials(api):
    api.answer_401()
    assert adapter(api.base_url).publish(Message(text="x")).outcome == Outcome.CREDENTIALS


def test_other_refusal_is_failed(api):
    result = adapter(api.base_url).publish(Message(text="x" * 5000))
    assert result.outcome == Outcome.FAILED
    assert "too long" in result.error


def test_read_timeout_is_unconfirmed(api):
    api.hang(seconds=3)
    result = adapter(api.base_url, timeout=0.3).publish(Message(text="x"))
    assert result.outcome == Outcome.UNCONFIRMED
    assert len(api.posted()) == 1


def test_connect_refused_and_connect_timeout_are_retry():
    assert adapter(refused_url()).publish(Message(text="x")).outcome == Outcome.RETRY
    with unanswered_connect() as url:
        result = adapter(url, connect_timeout=0.3).publish(Message(text="x"))
    assert result.outcome == Outcome.RETRY


def test_no_edit_or_delete_on_eitaayar(api):
    a = adapter(api.base_url)
    assert a.edit("101", Message(text="x")).outcome == Outcome.FAILED
    assert a.delete("101").outcome == Outcome.FAILED
    assert api.calls == []
