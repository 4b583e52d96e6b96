"""The HTTP transport every client of an outside API shares (the channel adapters, the SMS
gateway), and what a failure of the connection itself means.

Built on urllib3 because it keeps the two timeouts apart and raises a distinct error for
each moment a request can fail:

- nothing was sent (DNS failure, connection refused, connect timeout, TLS handshake):
  safe to try again -> `NotSent`;
- the request went out and no answer came (read timeout, the connection dropped while
  waiting): the other side may have acted on it -> `NoAnswer`, never retried blindly.

urllib3 runs with ``retries=False``: it must never resend a request on its own, for the
same reason. Every API we call carries its secret in the URL path, so every error text is
passed through `core.redaction`, and so is urllib3's own debug log line.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProxyError,
    SSLError,
)

from .redaction import RedactingFilter, redact

DEFAULT_CONNECT_TIMEOUT = 5.0

# urllib3 logs every request line, URL included, at DEBUG level; the filter on the
# handlers covers what is configured in settings.LOGGING, this one every other handler.
logging.getLogger("urllib3.connectionpool").addFilter(RedactingFilter())

_pool_lock = threading.Lock()
_pool: urllib3.PoolManager | None = None
_pool_pid = 0


def _pool_manager() -> urllib3.PoolManager:
    """One keep-alive pool per process (recreated after a fork), shared by all clients:
    a burst of calls to the same API reuses its connections."""
    global _pool, _pool_pid
    if _pool is None or _pool_pid != os.getpid():
        with _pool_lock:
            if _pool is None or _pool_pid != os.getpid():
                _pool = urllib3.PoolManager(num_pools=32, maxsize=16, retries=False)
                _pool_pid = os.getpid()
    return _pool


@dataclass(frozen=True)
class Reply:
    status: int
    data: Any  # the parsed JSON body, or None when the body was not JSON
    text: str  # the body as text, cut short and redacted (for error messages)
    retry_after_header: float | None = None


class TransportError(Exception):
    """No HTTP answer. The message is redacted, and the original exception (whose text and
    frames hold the URL) is kept out of tracebacks with `from None`; it still sits in
    `__context__`, so callers turn this into a result at once and never re-raise it."""


class NotSent(TransportError):
    """The request never reached the other side: safe to try again."""


class NoAnswer(TransportError):
    """The request went out (at least partly) and no answer came back."""


def post(
    url: str,
    *,
    secret: str = "",
    json_body: dict | None = None,
    form: dict | None = None,
    files: dict[str, tuple[str, bytes, str]] | None = None,
    headers: dict[str, str] | None = None,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    read_timeout: float = 15.0,
) -> Reply:
    """POST to `url` and return the answer, whatever its status; raise NotSent or NoAnswer
    when no answer came. `secret` is scrubbed from every text this produces."""
    timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
    pool = _pool_manager()

    def send():
        if files:
            fields: dict[str, Any] = {k: str(v) for k, v in (form or {}).items()}
            fields.update(files)
            return pool.request("POST", url, fields=fields, headers=headers, timeout=timeout)
        if json_body is not None:
            return pool.request(
                "POST",
                url,
                body=json.dumps(json_body, ensure_ascii=False).encode(),
                headers={"Content-Type": "application/json", **(headers or {})},
                timeout=timeout,
            )
        return pool.request(
            "POST",
            url,
            fields={k: str(v) for k, v in (form or {}).items()},
            encode_multipart=False,
            headers=headers,
            timeout=timeout,
        )

    return _answer(send, secret)


def get(
    url: str,
    *,
    secret: str = "",
    params: dict | None = None,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    read_timeout: float = 15.0,
) -> Reply:
    """GET `url` with `params` in its query, with the same answers and failures as `post`
    (for an API that reads with GET, such as the Graph API). A secret among the params is
    scrubbed like any other: pass it as `secret` too."""
    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
    timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
    return _answer(lambda: _pool_manager().request("GET", url, timeout=timeout), secret)


def _answer(send, secret: str) -> Reply:
    """Make the request and read its answer, or raise what became of it."""
    try:
        response = send()
    except (ConnectTimeoutError, NewConnectionError, ProxyError, SSLError) as exc:
        raise NotSent(_describe("no connection", exc, secret)) from None
    except HTTPError as exc:  # read timeout, protocol error, a dropped connection
        raise NoAnswer(_describe("no answer", exc, secret)) from None
    body = response.data or b""
    text = body[:2000].decode("utf-8", "replace")
    try:
        data = json.loads(body) if body else None
    except ValueError:
        data = None
    return Reply(
        status=response.status,
        data=data,
        text=redact(text, secret),
        retry_after_header=seconds(response.headers.get("Retry-After")),
    )


def _describe(what: str, exc: Exception, secret: str) -> str:
    return redact(f"{what}: {type(exc).__name__}: {exc}", secret)[:500]


def seconds(value: Any) -> float | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return max(seconds, 0.0)
