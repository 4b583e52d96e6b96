"""The machinery every fake platform shares: a threaded HTTP server on 127.0.0.1 (a free
port), a record of every call, scripted failures, and Telegram's rate limits.

    with FakeTelegram(enforce_limits=True) as api:
        adapter = TelegramAdapter(base_url=api.base_url, token="1:abc", chat_id="@news")
        api.answer_429(retry_after=3)          # the next call is told to wait 3 s
        api.hang(seconds=2, method="sendMessage")  # posts, then answers 2 s late
        ...
        assert api.calls_to("sendMessage")[0].params["text"] == "..."

Scripted failures are consumed one per call, in order; `method=` limits one to the next
call of that method. A hung call is processed (the message IS posted) and its answer is
held back: that is the case the adapters must report as unconfirmed.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Call:
    """One request the fake received."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]]
    token: str
    path: str
    at: float  # time.monotonic() when it arrived
    status: int = 0  # the HTTP status it was answered with (0 while unanswered)
    scripted: str = ""  # the scripted failure it got, if any


@dataclass
class _Script:
    kind: str  # "429", "500", "502", "401", "403", "400", "hang"
    remaining: int
    retry_after: int = 1
    seconds: float = 0.0
    method: str | None = None
    description: str = ""


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class RollingLimit:
    """At most `limit` events per `window` seconds per key, on a rolling window."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self.events: dict[str, deque[float]] = defaultdict(deque)

    def wait(self, key: str, n: int, now: float) -> float:
        """Seconds until `n` more events fit (0 when they fit now)."""
        events = self.events[key]
        while events and events[0] <= now - self.window:
            events.popleft()
        excess = len(events) + n - self.limit
        if excess <= 0:
            return 0.0
        if n > self.limit:
            return self.window
        return events[excess - 1] + self.window - now

    def add(self, key: str, n: int, now: float) -> None:
        self.events[key].extend([now] * n)


class FakePlatform:
    """Subclasses set `name`, implement `route(path) -> (token, method) | None`,
    `dispatch(call) -> Answer`, `error(kind, retry_after, description) -> Answer`, and
    `counted(call) -> int` (how many messages a call posts, for the rate limits)."""

    name = "fake"
    root_path = ""  # the part of base_url after host:port
    chat_param = "chat_id"  # the parameter the per-chat limit counts by
    rate_limited_kind = "429"  # the error() kind answered when a limit is exceeded

    def __init__(
        self,
        *,
        enforce_limits: bool = False,
        per_bot_per_second: int = 30,
        per_chat_per_minute: int = 20,
        valid_tokens: set[str] | None = None,
        chats: set[str] | None = None,
    ):
        self.enforce_limits = enforce_limits
        self.per_bot = RollingLimit(per_bot_per_second, 1.0)
        self.per_chat = RollingLimit(per_chat_per_minute, 60.0)
        self.valid_tokens = valid_tokens  # None: every token is good
        self.chats = chats  # None: every chat exists
        self.lock = threading.RLock()
        self._calls: list[Call] = []
        self._scripts: list[_Script] = []
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.http_429 = 0  # 429s answered because of the enforced limits

    # -- life ----------------------------------------------------------------------------
    def start(self, port: int = 0) -> FakePlatform:
        """Serve on 127.0.0.1:`port` (0: a free one) from a thread of its own."""
        platform = self

        class Handler(_Handler):
            fake = platform

        self._stopping.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-{self.name}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes hung handlers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start the fake first"
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What goes in the adapter's base_url / ChannelConnection.base_url."""
        return self.origin + self.root_path

    # -- what it received ----------------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        with self.lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def reset(self) -> None:
        with self.lock:
            self._calls.clear()
            self._scripts.clear()
            self.per_bot.events.clear()
            self.per_chat.events.clear()
            self.http_429 = 0

    # -- scripted failures ---------------------------------------------------------------
    def fail_next(
        self,
        kind: str,
        n: int = 1,
        *,
        retry_after: int = 1,
        seconds: float = 0.0,
        method: str | None = None,
        description: str = "",
    ) -> None:
        with self.lock:
            self._scripts.append(_Script(str(kind), n, retry_after, seconds, method, description))

    def answer_429(self, n: int = 1, *, retry_after: int = 1, method: str | None = None):
        self.fail_next("429", n, retry_after=retry_after, method=method)

    def answer_500(self, n: int = 1, *, method: str | None = None):
        self.fail_next("500", n, method=method)

    def answer_401(self, n: int = 1, *, method: str | None = None):
        self.fail_next("401", n, method=method)

    def answer_403(self, n: int = 1, *, method: str | None = None):
        self.fail_next("403", n, method=method)

    def answer_400(self, description: str, n: int = 1, *, method: str | None = None):
        self.fail_next("400", n, method=method, description=description)

    def hang(self, seconds: float, n: int = 1, *, method: str | None = None):
        """Process the next call (it posts) but answer only after `seconds`."""
        self.fail_next("hang", n, seconds=seconds, method=method)

    def _take_script(self, method: str) -> _Script | None:
        with self.lock:
            for script in self._scripts:
                if script.method in (None, method):
                    script.remaining -= 1
                    if script.remaining <= 0:
                        self._scripts.remove(script)
                    return script
        return None

    # -- serving -------------------------------------------------------------------------
    def serve(self, handler: BaseHTTPRequestHandler, body: bytes) -> Answer:
        url = urlsplit(handler.path)
        route = self.route(url.path)
        if route is None:
            return Answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, method = route
        params, files = _parse_body(handler.headers.get("Content-Type", ""), body)
        for key, value in parse_qsl(url.query):
            params.setdefault(key, value)
        call = Call(method, params, files, token, url.path, time.monotonic())
        with self.lock:
            self._calls.append(call)
        script = self._take_script(method)
        if script is not None and script.kind != "hang":
            call.scripted = script.kind
            answer = self.error(script.kind, script.retry_after, script.description)
        else:
            answer = self._answer(call)
            if script is not None:
                call.scripted = "hang"
                self._stopping.wait(script.seconds)
        call.status = answer.status
        return answer

    def _answer(self, call: Call) -> Answer:
        if self.valid_tokens is not None and call.token not in self.valid_tokens:
            return self.error("bad_token", 0, "")
        posts = self.counted(call)
        if posts and self.enforce_limits:
            chat = str(call.params.get(self.chat_param, ""))
            with self.lock:
                now = time.monotonic()
                wait = max(
                    self.per_bot.wait(call.token, posts, now),
                    self.per_chat.wait(f"{call.token}:{chat}", posts, now),
                )
                if wait > 0:
                    self.http_429 += 1
                    return self.error(self.rate_limited_kind, max(1, math.ceil(wait)), "")
                self.per_bot.add(call.token, posts, now)
                self.per_chat.add(f"{call.token}:{chat}", posts, now)
        return self.dispatch(call)

    # -- for subclasses ------------------------------------------------------------------
    def route(self, path: str) -> tuple[str, str] | None:
        raise NotImplementedError

    def dispatch(self, call: Call) -> Answer:
        raise NotImplementedError

    def error(self, kind: str, retry_after: int, description: str) -> Answer:
        raise NotImplementedError

    def counted(self, call: Call) -> int:
        return 0


class _Handler(BaseHTTPRequestHandler):
    fake: FakePlatform
    protocol_version = "HTTP/1.1"  # keep-alive: a burst reuses its connections
    # Headers and body leave in two writes; with Nagle's algorithm on, each answer would
    # wait ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self._reply(self.fake.serve(self, body))

    def do_GET(self):
        self._reply(self.fake.serve(self, b""))

    def _reply(self, answer: Answer) -> None:
        payload = json.dumps(answer.body, ensure_ascii=False).encode()
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True  # the client gave up (a timeout): nothing to do

    def log_message(self, format, *args):  # quiet, and never a token in a log
        pass


def _parse_body(content_type: str, body: bytes) -> tuple[dict, dict]:
    params: dict[str, Any] = {}
    files: dict[str, tuple[str, bytes]] = {}
    if not body:
        return params, files
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        data = json.loads(body)
        if isinstance(data, dict):
            params.update(data)
    elif kind == "multipart/form-data":
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            payload = part.get_payload(decode=True) or b""
            if filename is not None:
                files[name] = (filename, payload)
            else:
                params[name] = payload.decode("utf-8")
    else:
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return params, files
