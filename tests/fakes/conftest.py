"""Plain HTTP against the fakes (urllib3, never the product's adapters), and a clock the
tests move by hand so limits and message ages need no sleeping."""

import json

import pytest
import urllib3

HTTP = urllib3.PoolManager(retries=False, timeout=5.0)


class Client:
    """One bot's view of a fake: `call(method, **params)` -> (HTTP status, JSON body)."""

    def __init__(self, fake, token: str):
        self.fake, self.token = fake, token

    def url(self, method: str) -> str:
        if self.fake.name in ("telegram", "bale"):
            return f"{self.fake.base_url}/bot{self.token}/{method}"
        return f"{self.fake.base_url}/{self.token}/{method}"

    def call(self, method: str, files: dict | None = None, **params):
        if self.fake.name == "rubika":  # JSON bodies
            reply = HTTP.request("POST", self.url(method), json=params)
        elif files:  # multipart
            fields = {k: str(v) for k, v in params.items()} | files
            reply = HTTP.request("POST", self.url(method), fields=fields)
        else:  # a form
            fields = {k: str(v) for k, v in params.items()}
            reply = HTTP.request("POST", self.url(method), fields=fields, encode_multipart=False)
        return reply.status, json.loads(reply.data)


def post_file(url: str, name: str, data: bytes):
    reply = HTTP.request("POST", url, fields={"file": (name, data)})
    return reply.status, json.loads(reply.data)


class Clock:
    def __init__(self, start: float = 1_700_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return Clock()


def started(fake, clock):
    """Start `fake` on the test's clock."""
    fake.clock = clock
    return fake.start()


@pytest.fixture
def run(clock):
    """run(FakeX(...)) starts it on the test's clock and stops it afterwards."""
    fakes = []

    def start(fake):
        fakes.append(started(fake, clock))
        return fake

    yield start
    for fake in fakes:
        fake.stop()


@pytest.fixture
def bot():
    """bot(fake, token) -> a Client speaking for that token."""
    return Client


@pytest.fixture
def upload():
    """upload(url, name, data): POST a file as multipart field `file`."""
    return post_file
