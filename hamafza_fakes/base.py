"""The machinery every fake platform shares: a threaded HTTP server on 127.0.0.1 (a free
port), a record of every call, scripted failures, the platforms' fixed rate limits, the
chats a bot knows (and its rights there), the messages it posted, and a clock to age them.

    with FakeTelegram(enforce_limits=True, chats={"@news"}) as api:
        adapter = TelegramAdapter(base_url=api.base_url, token="1:abc", chat_id="@news")
        api.answer_429(retry_after=3)          # the next call is told to wait 3 s
        api.hang(seconds=2, method="sendMessage")  # posts, then answers 2 s late
        api.set_rights("@news", can_delete_messages=False)
        api.advance(49 * 3600)                 # every message is now 49 hours old
        ...
        assert api.calls_to("sendMessage")[0].params["text"] == "..."
        assert api.messages("@news")[0]["text"] == "..."

Scripted failures are consumed one per call, in order; `method=` limits one to the next
call of that method. Each answers in its platform's own shape (`answer_401` is Telegram's
401 "Unauthorized", Bale's "Token not found", Eitaa's bare `{"ok": false}`, Rubika's
INVALID_ACCESS). A hung call is processed (the message IS posted) and its answer is held
back: that is the case the adapters must report as unconfirmed.

The limits are class constants (PER_BOT_PER_SECOND, PER_CHAT_PER_MINUTE, PER_CHAT_GAP),
with their source beside them in each platform's module: a benchmark cannot loosen them,
only switch them on (`enforce_limits=True`). Every message counts (an album of N photos is
N against the per-bot and per-chat-minute limits, and one request against the per-chat
gap). A refusal for a limit, scripted or enforced, sets `Call.rate_limited` and counts in
`http_429`, whatever HTTP status and body the platform gives it.
"""

from __future__ import annotations

import bisect
import json
import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
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
    rate_limited: bool = False  # refused for a rate limit (scripted or enforced), any shape
    limit: str = ""  # which one refused it: "bot", "chat", "gap" or "scripted"
    short_by: float = 0.0  # how much too early it came, in seconds, for an enforced limit


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
        """Record `n` events at `now`, kept in time order (requests handled in parallel may
        be recorded a little out of the order they arrived in)."""
        events = self.events[key]
        for _ in range(n):
            if not events or events[-1] <= now:
                events.append(now)
            else:
                events.insert(bisect.bisect_right(events, now), now)


FULL_RIGHTS = {
    "admin": True,
    "can_post_messages": True,
    "can_edit_messages": True,
    "can_delete_messages": True,
}
RIGHTS = ("can_post_messages", "can_edit_messages", "can_delete_messages")


def rights_of(spec: dict) -> dict:
    """A chat's spec (what a test gave) made whole: `admin` defaults to True, each right to
    `admin` (a non-admin has none), `member` to True (False: the bot is not in the chat)."""
    admin = bool(spec.get("admin", True))
    info = dict(spec)
    info["admin"] = admin
    info["member"] = admin or bool(spec.get("member", True))
    for right in RIGHTS:
        info[right] = admin and bool(spec.get(right, True))
    return info


class FakePlatform:
    """Subclasses set `name`, implement `route(path) -> (token, method) | None`,
    `dispatch(call) -> Answer`, `error(kind, retry_after, description) -> Answer`, and
    `counted(call) -> int` (how many messages a call posts, for the rate limits)."""

    name = "fake"
    root_path = ""  # the part of base_url after host:port
    chat_param = "chat_id"  # the parameter the per-chat limits count by
    rate_limited_kind = "429"  # the error() kind answered when a limit is exceeded
    # The fixed limits (each platform's module gives their source). 0: no such limit.
    PER_BOT_PER_SECOND = 30
    PER_CHAT_PER_MINUTE = 20
    PER_CHAT_GAP = 0.0  # seconds between two posting requests into one chat
    TEXT_LIMIT = 4096
    CAPTION_LIMIT = 1024
    COUNT_UTF16 = False  # lengths in UTF-16 code units (True) or code points (False)

    def __init__(
        self,
        *,
        enforce_limits: bool = False,
        valid_tokens: set[str] | None = None,
        chats: dict[str, dict] | set[str] | None = None,
    ):
        self.lock = threading.RLock()
        self.enforce_limits = enforce_limits
        self.per_bot = RollingLimit(self.PER_BOT_PER_SECOND or 10**9, 1.0)
        self.per_chat = RollingLimit(self.PER_CHAT_PER_MINUTE or 10**9, 60.0)
        self.last_post: dict[str, float] = {}  # token:chat -> when its last post went in
        self.valid_tokens = valid_tokens  # None: every token is good
        # None: every chat exists and the bot is an admin with every right there.
        self.any_chat = chats is None
        self._chats: dict[str, dict] = {}
        self.member_counts: dict[str, int] = {}  # chat -> its members (0 when not given)
        specs = chats if isinstance(chats, dict) else {chat: {} for chat in chats or ()}
        for chat, spec in specs.items():
            self.set_rights(chat, **spec)
        # The clock messages are dated by and the limits run on; replace it, or move it
        # with advance(), to age what was posted without sleeping.
        self.clock: Callable[[], float] = time.time
        self._offset = 0.0
        self._messages: dict[str, dict[Any, dict]] = {}  # chat -> id -> message, in order
        self._calls: list[Call] = []
        self._scripts: list[_Script] = []
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.http_429 = 0  # rate-limit refusals (enforced or scripted), whatever their shape

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

    # -- time ----------------------------------------------------------------------------
    def now(self) -> float:
        """The fake's time: `clock()` moved on by every `advance()`."""
        return self.clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the fake's time on: every message is `seconds` older, and the rate-limit
        windows move on with it."""
        with self.lock:
            self._offset += seconds

    def age(self, chat: str, message_id: Any, seconds: float) -> None:
        """Make one message `seconds` older than it is."""
        with self.lock:
            message = self._messages[str(chat)][self.message_key(message_id)]
            message["sent_at"] -= seconds
            if "date" in message:
                message["date"] = int(message["sent_at"])

    # -- chats and rights ----------------------------------------------------------------
    def valid_chat_id(self, chat: str) -> bool:
        """Whether `chat` has a form the platform could know at all."""
        return bool(chat)

    def set_rights(self, chat: str, **rights) -> None:
        """Create `chat` (if new) and change the bot's rights there: admin, member,
        can_post_messages, can_edit_messages, can_delete_messages; also `members` (its
        member count), `title` and `username`."""
        chat = str(chat)
        if not self.valid_chat_id(chat):
            raise ValueError(f"{self.name} has no chat of the form {chat!r}")
        with self.lock:
            self._chats[chat] = {**self._chats.get(chat, {}), **rights}
            if "members" in rights:
                self.member_counts[chat] = int(rights["members"])

    def set_members(self, chat: str, members: int) -> None:
        self.set_rights(chat, members=members)

    def chat_info(self, chat: str) -> dict | None:
        """The bot's view of `chat` (rights_of), or None when the platform has no such chat."""
        if not self.valid_chat_id(chat):
            return None
        spec = self._chats.get(chat)
        if spec is None:
            return rights_of(FULL_RIGHTS) if self.any_chat else None
        return rights_of(spec)

    # -- messages ------------------------------------------------------------------------
    def message_key(self, message_id: Any) -> Any:
        """The key a message id is stored under (Telegram's are numbers)."""
        return str(message_id)

    def length(self, text: str) -> int:
        """A text's length as the platform counts it against its limits."""
        if self.COUNT_UTF16:
            return len(text.encode("utf-16-le")) // 2
        return len(text)

    def store(self, chat: str, message_id: Any, kind: str, /, **content) -> dict:
        """Keep a message the bot posted: kind "text" / "photo" / "file", its text or
        caption and whatever the platform's answer shows; `sent_at` is the fake's time."""
        message = {"message_id": message_id, "kind": kind, "sent_at": self.now(), **content}
        self._messages.setdefault(chat, {})[self.message_key(message_id)] = message
        return message

    def find(self, chat: str, message_id: Any) -> dict | None:
        try:
            return self._messages.get(chat, {}).get(self.message_key(message_id))
        except (TypeError, ValueError):
            return None

    def forget(self, chat: str, message_id: Any) -> None:
        self._messages.get(chat, {}).pop(self.message_key(message_id), None)

    def messages(self, chat: str | None = None) -> list[dict]:
        """Copies of the messages standing in `chat` now (or in every chat), oldest first:
        message_id, kind, text or caption, sent_at, and the platform's own fields."""
        with self.lock:
            chats = [str(chat)] if chat is not None else list(self._messages)
            return [dict(m) for c in chats for m in self._messages.get(c, {}).values()]

    posted = messages  # the older name

    def message(self, chat: str, message_id: Any) -> dict | None:
        """A copy of one message standing in `chat`, or None (never posted, or deleted)."""
        with self.lock:
            message = self.find(str(chat), message_id)
            return dict(message) if message is not None else None

    # -- what it received ----------------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        with self.lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def reset(self) -> None:
        """Forget the calls, the scripts and the limits' counts (not the messages)."""
        with self.lock:
            self._calls.clear()
            self._scripts.clear()
            self.per_bot.events.clear()
            self.per_chat.events.clear()
            self.last_post.clear()
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
        """The platform's own rate-limit refusal (not always an HTTP 429)."""
        self.fail_next(self.rate_limited_kind, n, retry_after=retry_after, method=method)

    def answer_500(self, n: int = 1, *, method: str | None = None):
        self.fail_next("500", n, method=method)

    def answer_401(self, n: int = 1, *, method: str | None = None):
        """The platform's answer to a bad token."""
        self.fail_next("401", n, method=method)

    def answer_403(self, n: int = 1, *, method: str | None = None):
        """The platform's answer when the bot may not act in the chat."""
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
    def serve(
        self, handler: BaseHTTPRequestHandler, body: bytes, arrived: float | None = None
    ) -> Answer:
        """Answer one request; `arrived`: when it reached the server (the fake's clock),
        which is what the platform's limits count by, however long this process then
        takes to get to it."""
        url = urlsplit(handler.path)
        route = self.route(url.path)
        if route is None:
            return self.no_route()
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
            if script.kind == self.rate_limited_kind:
                call.rate_limited, call.limit = True, "scripted"
                with self.lock:
                    self.http_429 += 1
            answer = self.error(script.kind, script.retry_after, script.description)
        else:
            answer = self._answer(call, self.now() if arrived is None else arrived)
            if script is not None:
                call.scripted = "hang"
                self._stopping.wait(script.seconds)
        call.status = answer.status
        return answer

    def _answer(self, call: Call, arrived: float) -> Answer:
        if self.valid_tokens is not None and call.token not in self.valid_tokens:
            return self.bad_token(call.token)
        posts = self.counted(call)
        if not (posts and self.enforce_limits):
            return self.dispatch(call)
        key = f"{call.token}:{call.params.get(self.chat_param, '')}"
        with self.lock:
            now = arrived
            waits = {
                "bot": self.per_bot.wait(call.token, posts, now),
                "chat": self.per_chat.wait(key, posts, now),
                "gap": self.last_post.get(key, -math.inf) + self.PER_CHAT_GAP - now,
            }
            limit, wait = max(waits.items(), key=lambda item: item[1])
            if wait > 0:
                call.rate_limited, call.limit, call.short_by = True, limit, wait
                self.http_429 += 1
                return self.error(self.rate_limited_kind, max(1, math.ceil(wait)), "")
            answer = self.dispatch(call)
            if succeeded(answer):  # only what was posted counts
                self.per_bot.add(call.token, posts, now)
                self.per_chat.add(key, posts, now)
                self.last_post[key] = max(self.last_post.get(key, -math.inf), now)
            return answer

    # -- for subclasses ------------------------------------------------------------------
    def route(self, path: str) -> tuple[str, str] | None:
        raise NotImplementedError

    def no_route(self) -> Answer:
        """The answer to a path outside the API."""
        return Answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    def bad_token(self, token: str) -> Answer:
        """The answer to a token not in `valid_tokens`."""
        return self.error("bad_token", 0, "")

    def dispatch(self, call: Call) -> Answer:
        raise NotImplementedError

    def error(self, kind: str, retry_after: int, description: str) -> Answer:
        raise NotImplementedError

    def counted(self, call: Call) -> int:
        return 0


def succeeded(answer: Answer) -> bool:
    """HTTP 200 and not refused in the body (Telegram's ok, Rubika's status)."""
    body = answer.body
    if answer.status != 200:
        return False
    if isinstance(body, dict):
        return body.get("ok", True) is not False and body.get("status", "OK") == "OK"
    return True


class _Handler(BaseHTTPRequestHandler):
    fake: FakePlatform
    protocol_version = "HTTP/1.1"  # keep-alive: a burst reuses its connections
    # Headers and body leave in two writes; with Nagle's algorithm on, each answer would
    # wait ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True

    def do_POST(self):
        arrived = self.fake.now()  # its headers are in; the body follows
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self._reply(self.fake.serve(self, body, arrived))

    def do_GET(self):
        self._reply(self.fake.serve(self, b"", self.fake.now()))

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
