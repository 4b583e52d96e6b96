"""Local servers that speak each platform's bot API, for the tests and the benchmarks:
no test ever reaches a real platform. Each starts in a thread on 127.0.0.1 (a free port),
records every call, can be told to fail, and can enforce Telegram's rate limits.

    from hamafza_fakes import FakeTelegram
    with FakeTelegram(enforce_limits=True) as api:
        ...  # api.base_url is the adapter's base_url
"""

from .base import Call, FakePlatform
from .eitaa import FakeEitaa
from .net import refused_url, unanswered_connect
from .rubika import FakeRubika
from .telegram import FakeBale, FakeTelegram

FAKES = {"telegram": FakeTelegram, "bale": FakeBale, "eitaa": FakeEitaa, "rubika": FakeRubika}

__all__ = [
    "FAKES",
    "Call",
    "FakeBale",
    "FakeEitaa",
    "FakePlatform",
    "FakeRubika",
    "FakeTelegram",
    "refused_url",
    "unanswered_connect",
]
