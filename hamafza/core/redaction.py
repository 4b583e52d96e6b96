"""The one place secrets are scrubbed from text before it is logged, raised or stored.

Every outside API Hamafza calls puts its secret in the URL path: Telegram and Bale
(`/bot<token>/`), Eitaayar (`/api/<token>/`), Rubika (`/v3/<token>/`) and Kavenegar
(`/v1/<api-key>/`). A URL therefore must never reach a log line, an exception, an audit
entry or an error page as it is. Two defences, both here:

- `redact(text, *secrets)`: replaces the secrets given and every registered secret path
  segment with `***`. The HTTP transport applies it to every error text it produces.
- `RedactingFilter`: installed on every log handler (settings.LOGGING), so that a line
  logged by anyone (urllib3's debug line names the whole URL) is scrubbed too, tracebacks
  included.

Pure Python: the logging configuration imports it before Django's apps are ready.
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "***"

_lock = threading.Lock()
_path_prefixes: set[str] = set()
_pattern: re.Pattern[str] | None = None
_values: set[str] = set()
_params: set[str] = set()
_param_pattern: re.Pattern[str] | None = None


def register_secret_path(prefix: str) -> None:
    """Treat the path segment after `prefix` as a secret wherever it appears: with
    "/v1/" every "/v1/<anything>/" becomes "/v1/***/"."""
    global _pattern
    with _lock:
        _path_prefixes.add(prefix)
        alternatives = "|".join(re.escape(p) for p in sorted(_path_prefixes, key=len, reverse=True))
        _pattern = re.compile(rf"({alternatives})[^/\s\"'?#]+(?=/)")


def register_secret_param(name: str) -> None:
    """Treat the value of the query parameter `name` as a secret wherever it appears:
    with "access_token" every "access_token=<anything>" becomes "access_token=***" (the
    Graph API reads its token from the query of a GET)."""
    global _param_pattern
    with _lock:
        _params.add(name)
        alternatives = "|".join(re.escape(p) for p in sorted(_params, key=len, reverse=True))
        _param_pattern = re.compile(rf"(?<![A-Za-z0-9_])((?:{alternatives})=)[^&\s\"'#]+")


def register_secret(value: str) -> None:
    """A secret known in advance (an API key from the settings): scrubbed wherever it
    appears, in a URL or not. Values shorter than 6 characters are refused, as they would
    mask ordinary words."""
    if value and len(value) >= 6:
        with _lock:
            _values.add(value)


def redact(text: str, *secrets: str) -> str:
    for secret in (*secrets, *_values):
        if secret:
            text = text.replace(secret, MASK)
    pattern = _pattern
    if pattern is not None:
        text = pattern.sub(rf"\1{MASK}", text)
    param_pattern = _param_pattern
    if param_pattern is not None:
        text = param_pattern.sub(rf"\1{MASK}", text)
    return text


class RedactingFilter(logging.Filter):
    """Scrubs the message and the traceback of every record that passes a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
