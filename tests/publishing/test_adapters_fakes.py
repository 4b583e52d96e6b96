"""The fake platforms under the product's Telegram adapter: Telegram's limits enforced
(per bot per second, per chat per minute and a second between two posts into one chat,
an album counting once per photo), scripted failures, and speed. The fakes' own answers
are tested over plain HTTP in tests/fakes."""

import threading
import time

import pytest

from hamafza.publishing.platforms.base import Message, Outcome
from hamafza.publishing.platforms.telegram import TelegramAdapter
from hamafza_fakes import FakeBale, FakeEitaa, FakeRubika, FakeTelegram
from hamafza_fakes.base import RollingLimit

JPEG = b"\xff\xd8\xff" + b"3" * 50


def adapter(api, chat="@c", token="1:t"):
    return TelegramAdapter(base_url=api.base_url, token=token, chat_id=chat, timeout=5.0)


class Clock:
    """The fake's clock, moved by hand: the limits need no sleeping."""

    def __init__(self):
        self.now = 1_700_000_000.0

    def __call__(self):
        return self.now


def limited():
    api = FakeTelegram(enforce_limits=True)
    api.clock = Clock()
    return api


def test_rolling_limit_arithmetic():
    limit = RollingLimit(3, 1.0)
    for at in (0.0, 0.2, 0.4):
        assert limit.wait("k", 1, at) == 0
        limit.add("k", 1, at)
    assert limit.wait("k", 1, 0.5) == pytest.approx(0.5)  # the event at 0.0 leaves at 1.0
    assert limit.wait("k", 2, 0.5) == pytest.approx(0.7)
    assert limit.wait("k", 1, 1.0) == 0


def test_per_chat_limit_twenty_a_minute():
    with limited() as api:
        a = adapter(api)
        results = []
        for i in range(21):
            results.append(a.publish(Message(text=f"{i}")))
            api.clock.now += 1.0  # a second apart: the per-chat gap is kept
        other_chat = adapter(api, chat="@other").publish(Message(text="x"))
    assert [r.outcome for r in results[:20]] == [Outcome.SENT] * 20
    assert results[20].outcome == Outcome.RETRY
    assert results[20].retry_after == 40  # the first post leaves the minute 40 s later
    assert other_chat.outcome == Outcome.SENT  # another chat of the same bot is free
    assert api.http_429 == 1
    assert len(api.messages("@c")) == 20


def test_a_second_between_two_posts_into_one_chat():
    with limited() as api:
        a = adapter(api)
        assert a.publish(Message(text="1")).outcome == Outcome.SENT
        api.clock.now += 0.5
        second = a.publish(Message(text="2"))
        api.clock.now += 0.5
        third = a.publish(Message(text="3"))
    assert (second.outcome, second.retry_after) == (Outcome.RETRY, 1)
    assert third.outcome == Outcome.SENT
    assert [c.rate_limited for c in api.calls] == [False, True, False]


def test_per_bot_limit_thirty_a_second():
    with limited() as api:  # the clock stands still: every post is in the same instant
        outcomes = [
            adapter(api, chat=f"@c{i}").publish(Message(text="x")).outcome for i in range(31)
        ]
        another_bot = adapter(api, chat="@c0", token="2:u").publish(Message(text="x"))
        api.advance(1.0)
        later = adapter(api, chat="@c99").publish(Message(text="x"))
    assert outcomes[:30] == [Outcome.SENT] * 30
    assert outcomes[30] == Outcome.RETRY
    assert another_bot.outcome == Outcome.SENT
    assert later.outcome == Outcome.SENT


def test_an_album_counts_one_message_per_photo():
    with limited() as api:
        a = adapter(api)
        assert a.publish(Message(text="x", photos=[JPEG] * 10)).outcome == Outcome.SENT
        api.advance(1.0)
        assert a.publish(Message(text="x", photos=[JPEG] * 10)).outcome == Outcome.SENT
        api.advance(1.0)
        assert a.publish(Message(text="x")).outcome == Outcome.RETRY


def test_limits_are_off_unless_asked():
    with FakeTelegram() as api:
        a = adapter(api)
        assert all(a.publish(Message(text="x")).outcome == Outcome.SENT for _ in range(25))


def test_scripts_are_consumed_in_order_and_by_method():
    with FakeTelegram() as api:
        api.answer_500(2)
        api.answer_429(retry_after=2, method="sendPhoto")
        a = adapter(api)
        assert a.publish(Message(text="x")).outcome == Outcome.RETRY
        assert a.publish(Message(text="x", photos=[JPEG])).outcome == Outcome.RETRY  # 2nd 500
        photo = a.publish(Message(text="x", photos=[JPEG]))
        assert photo.outcome == Outcome.RETRY and photo.retry_after == 2
        assert a.publish(Message(text="x")).outcome == Outcome.SENT
    assert [c.scripted for c in api.calls] == ["500", "500", "429", ""]
    assert [c.status for c in api.calls] == [500, 500, 429, 200]
    times = [c.at for c in api.calls]
    assert times == sorted(times)


def test_stopping_wakes_a_hung_call():
    api = FakeTelegram().start()
    api.hang(seconds=30)
    a = TelegramAdapter(base_url=api.base_url, token="1:t", chat_id="@c", timeout=0.2)
    assert a.publish(Message(text="x")).outcome == Outcome.UNCONFIRMED
    started = time.monotonic()
    api.stop()
    assert time.monotonic() - started < 5


# A chat id of each platform's form (Eitaa: no "@"; Rubika: a channel GUID).
CHAT = {"telegram": "@c{}", "bale": "@c{}", "eitaa": "chan{}", "rubika": "c0chan{}"}


@pytest.mark.parametrize("fake", [FakeTelegram, FakeBale, FakeEitaa, FakeRubika])
def test_each_fake_takes_a_few_hundred_requests_a_second(fake):
    from hamafza.publishing.platforms.registry import ADAPTERS

    kind = fake.name
    with fake() as api:
        adapters = [
            ADAPTERS[kind](base_url=api.base_url, token=f"{i}:t", chat_id=CHAT[kind].format(i))
            for i in range(8)
        ]
        failures = []

        def burst(a):
            for _ in range(50):
                if a.publish(Message(text="x")).outcome != Outcome.SENT:
                    failures.append(a)

        started = time.monotonic()
        threads = [threading.Thread(target=burst, args=(a,)) for a in adapters]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    assert not failures
    assert len(api.calls) == 400
    assert 400 / elapsed > 200, f"{400 / elapsed:.0f} requests/s"
