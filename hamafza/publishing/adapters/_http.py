"""The HTTP transport every remote adapter shares, and the part of classifying an answer
that does not depend on the platform: what a failure of the connection itself means.

Built on urllib3 (already installed; a direct dependency of the project from now on)
because it keeps the two timeouts apart and raises a distinct error for each moment a
request can fail:

- nothing was sent (DNS failure, connection refused, connect timeout, TLS handshake):
  safe to try again -> RETRY;
- the request went out and no answer came (read timeout, the connection dropped while
  waiting): the platform may have posted it -> UNCONFIRMED, never retried blindly.

urllib3 runs with ``retries=False``: it must never resend a request on its own, for the
same reason. The token sits in the URL path of every platform's API, so it is scrubbed
from urllib3's own debug log lines and from every error text we produce.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from dataclasses import dataclass
from typing import Any

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
    SSLError,
)

from .base import Outcome, Result

DEFAULT_CONNECT_TIMEOUT = 5.0

# /bot<token>/ (Telegram, Bale), /api/<token>/ (Eitaayar), /v3/<token>/ (Rubika)
_TOKEN_IN_PATH = re.compile(r"(/bot|/api/|/v3/)[^/\s\"']+(?=/)")


def redact(text: str, token: str = "") -> str:
    if token:
        text = text.replace(token, "***")
    return _TOKEN_IN_PATH.sub(r"\1***", text)


class _RedactTokens(logging.Filter):
    """urllib3 logs every request line, URL included, at DEBUG level."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        record.msg, record.args = redact(message), ()
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_RedactTokens())

_pool_lock = threading.Lock()
_pool: urllib3.PoolManager | None = None
_pool_pid = 0


def _pool_manager() -> urllib3.PoolManager:
    """One keep-alive pool per process (recreated after a fork), shared by all adapters:
    a burst of deliveries to the same API reuses its connections."""
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
    text: str  # the body as text, cut short (for error messages)
    retry_after_header: float | None = None


class TransportFailure(Exception):
    """The request failed below HTTP; `result` says whether it may have gone out."""

    def __init__(self, result: Result):
        super().__init__(result.error)
        self.result = result


def post(
    url: str,
    *,
    token: str,
    json_body: dict | None = None,
    form: dict | None = None,
    files: dict[str, tuple[str, bytes, str]] | None = None,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    read_timeout: float = 15.0,
    side_effect_free: bool = False,
) -> Reply:
    """POST to `url` and return the answer, whatever its status; raise TransportFailure
    when no answer came. `side_effect_free` marks a call that posts nothing (Rubika's
    upload steps): a read timeout there is simply retried."""
    timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
    pool = _pool_manager()
    try:
        if files:
            fields: dict[str, Any] = {k: str(v) for k, v in (form or {}).items()}
            fields.update(files)
            response = pool.request("POST", url, fields=fields, timeout=timeout)
        elif json_body is not None:
            response = pool.request(
                "POST",
                url,
                body=json.dumps(json_body, ensure_ascii=False).encode(),
                headers={"Content-Type": "application/json"},
                timeout=timeout,
            )
        else:
            response = pool.request(
                "POST",
                url,
                fields={k: str(v) for k, v in (form or {}).items()},
                encode_multipart=False,
                timeout=timeout,
            )
    except (ConnectTimeoutError, NewConnectionError, ProxyError, SSLError) as exc:
        # Connection refused, DNS, connect timeout, TLS handshake: nothing reached the API.
        raise TransportFailure(
            Result(Outcome.RETRY, error=_describe("no connection", exc, token))
        ) from None
    except (ReadTimeoutError, ProtocolError, HTTPError) as exc:
        # The request was (at least partly) sent and no answer came back.
        outcome = Outcome.RETRY if side_effect_free else Outcome.UNCONFIRMED
        raise TransportFailure(Result(outcome, error=_describe("no answer", exc, token))) from None
    body = response.data or b""
    text = body[:2000].decode("utf-8", "replace")
    try:
        data = json.loads(body) if body else None
    except ValueError:
        data = None
    return Reply(
        status=response.status,
        data=data,
        text=redact(text, token),
        retry_after_header=_seconds(response.headers.get("Retry-After")),
    )


def _describe(what: str, exc: Exception, token: str) -> str:
    return redact(f"{what}: {type(exc).__name__}: {exc}", token)[:500]


def _seconds(value: Any) -> float | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return max(seconds, 0.0)
