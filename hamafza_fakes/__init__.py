"""Local servers that speak each outside API Hamafza calls (the messengers' bot APIs,
the Kavenegar SMS gateway), for the tests, the benchmarks and the demo: no test ever
reaches a real platform. This package stands beside the product; the product never
imports it. Each starts in a thread on 127.0.0.1 (a free port),
records every call, can be told to fail, and can enforce Telegram's rate limits.

    from hamafza_fakes import FakeTelegram
    with FakeTelegram(enforce_limits=True) as api:
        ...  # api.base_url is the adapter's base_url
"""

from .base import Call, FakePlatform
from .eitaa import FakeEitaa
from .instagram import FakeInstagram
from .kavenegar import FakeKavenegar
from .net import refused_url, unanswered_connect
from .rubika import FakeRubika
from .tcp_proxy import TcpProxy
from .telegram import FakeBale, FakeTelegram

__all__ = [
    "Call",
    "FakeBale",
    "FakeEitaa",
    "FakeInstagram",
    "FakeKavenegar",
    "FakePlatform",
    "FakeRubika",
    "FakeTelegram",
    "TcpProxy",
    "refused_url",
    "unanswered_connect",
]
