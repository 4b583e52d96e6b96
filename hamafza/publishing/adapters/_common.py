"""What the remote adapters share: their constructor, the empty-token guard, and how a
Telegram-shaped JSON answer ({"ok": ..., "error_code": ..., "description": ...,
"parameters": {"retry_after": N}}) is classified. Eitaayar answers in the same shape."""

from __future__ import annotations

from typing import Any

from . import _http
from .base import Adapter, Message, Outcome, Result

NO_TOKEN = "the connection has no readable token (stored with another SECRET_KEY?)"


class RemoteAdapter(Adapter):
    default_base_url: str = ""
    #: Where a public channel's post can be opened, formatted with handle and id; "".
    post_url_format: str = ""

    def __init__(
        self,
        *,
        base_url: str = "",
        token: str,
        chat_id: str,
        timeout: float = 15.0,
        connect_timeout: float = _http.DEFAULT_CONNECT_TIMEOUT,
        public_handle: str = "",
    ):
        super().__init__(
            base_url=base_url or self.default_base_url,
            token=token,
            chat_id=chat_id,
            timeout=timeout,
        )
        self.connect_timeout = connect_timeout
        # The channel's public @name, for links to its posts; taken from the chat id when
        # that is itself an @name.
        handle = public_handle or (chat_id if chat_id.startswith("@") else "")
        self.public_handle = handle.lstrip("@")

    def __repr__(self) -> str:  # never the token
        return f"<{type(self).__name__} {self.base_url} chat={self.chat_id}>"

    def post_url(self, message_id: str) -> str:
        if not (self.post_url_format and self.public_handle and message_id):
            return ""
        return self.post_url_format.format(handle=self.public_handle, id=message_id)

    def _post(self, url: str, **kwargs) -> _http.Reply:
        return _http.post(
            url,
            token=self.token,
            connect_timeout=self.connect_timeout,
            read_timeout=self.timeout,
            **kwargs,
        )

    # -- the public operations, guarded against a missing token ------------------------
    def publish(self, message: Message) -> Result:
        if not self.token:
            return Result(Outcome.CREDENTIALS, error=NO_TOKEN)
        return self._publish(message)

    def edit(self, remote_id: str, message: Message) -> Result:
        if not self.supports_edit:
            return super().edit(remote_id, message)
        if not self.token:
            return Result(Outcome.CREDENTIALS, error=NO_TOKEN)
        return self._edit(remote_id, message)

    def delete(self, remote_id: str) -> Result:
        if not self.supports_delete:
            return super().delete(remote_id)
        if not self.token:
            return Result(Outcome.CREDENTIALS, error=NO_TOKEN)
        return self._delete(remote_id)

    def _publish(self, message: Message) -> Result:
        raise NotImplementedError

    def _edit(self, remote_id: str, message: Message) -> Result:
        raise NotImplementedError

    def _delete(self, remote_id: str) -> Result:
        raise NotImplementedError

    # -- helpers -----------------------------------------------------------------------
    def split_caption(self, message: Message) -> tuple[str, str]:
        """(caption under the photo, text sent after it). The text goes in the caption
        when it fits; a text longer than the caption limit follows as its own message."""
        text, caption = message.text.strip(), message.caption.strip()
        if not caption and utf16_len(text) <= self.caption_limit:
            return text, ""
        follow_up = text if text and text != caption else ""
        return caption, follow_up


class BotApiAdapter(RemoteAdapter):
    """A platform whose API answers in Telegram's shape (Telegram, Bale, Eitaayar)."""

    def _url(self, method: str) -> str:
        raise NotImplementedError

    def _call(self, method: str, **kwargs) -> tuple[Result | None, Any]:
        """(the failure, None), or (None, the answer's `result`)."""
        try:
            reply = self._post(self._url(method), **kwargs)
        except _http.TransportFailure as failure:
            return failure.result, None
        failure = classify_bot_api(reply)
        if failure is not None:
            return failure, None
        return None, reply.data.get("result")


def split_remote_id(remote_id: str) -> list[str]:
    """The message ids a delivery's `remote_id` holds (comma-joined, the first the one
    people see)."""
    return [i for i in remote_id.split(",") if i.strip()]


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji may count two)."""
    return len(text.encode("utf-16-le")) // 2


def photo_file(message: Message, index: int) -> tuple[str, bytes, str]:
    data = message.photos[index]
    name = message.photo_names[index] if index < len(message.photo_names) else ""
    return (name or f"photo{index + 1}.jpg", data, _mime(data))


def _mime(data: bytes) -> str:
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"


# -- Telegram-shaped answers -----------------------------------------------------------

# A 400 whose description says the bot cannot reach the chat is a broken connection (the
# chat id is wrong, or the bot was removed), not a problem with this post.
_CREDENTIAL_HINTS = (
    "chat not found",
    "bot was kicked",
    "bot is not a member",
    "not enough rights",
    "need administrator rights",
    "have no rights",
    "bot was blocked",
    "unauthorized",
)


# 502 Bad Gateway and 504 Gateway Timeout from a proxy page (not the API's own JSON).
GATEWAY_UNKNOWN = (502, 504)


def classify_bot_api(reply: _http.Reply) -> Result | None:
    """None when the answer is a success (the caller reads `reply.data["result"]`),
    otherwise the Result for the failure."""
    data = reply.data if isinstance(reply.data, dict) else None
    if reply.status == 200 and data is not None and data.get("ok") is True:
        return None
    if reply.status in GATEWAY_UNKNOWN and data is None:
        # A proxy between us and the platform gave up waiting: the platform may well
        # have posted. Not retried blindly; a person checks.
        return Result(Outcome.UNCONFIRMED, error=_http_error(reply))
    if data is None:
        if reply.status >= 500 or reply.status == 429:
            return Result(
                Outcome.RETRY, retry_after=reply.retry_after_header, error=_http_error(reply)
            )
        if reply.status in (401, 403, 404):
            return Result(Outcome.CREDENTIALS, error=_http_error(reply))
        if reply.status == 200:
            # Something answered "200" but not in the API's words (a proxy page, a cut
            # body). It may have posted; a person checks.
            return Result(Outcome.UNCONFIRMED, error=_http_error(reply))
        return Result(Outcome.FAILED, error=_http_error(reply))
    code = _int(data.get("error_code")) or reply.status
    description = str(data.get("description") or "")[:500]
    error = f"{code} {description}".strip()
    parameters = data.get("parameters") if isinstance(data.get("parameters"), dict) else {}
    if code == 429 or reply.status == 429:
        retry_after = _http.seconds(parameters.get("retry_after"))
        return Result(
            Outcome.RETRY, retry_after=retry_after or reply.retry_after_header, error=error
        )
    if code >= 500 or reply.status >= 500:
        return Result(Outcome.RETRY, retry_after=reply.retry_after_header, error=error)
    # Telegram answers 401 for a revoked token and 404 "Not Found" for a token that never
    # existed; 403 when the bot was kicked or lacks the right to post.
    if code in (401, 403, 404) or reply.status in (401, 403, 404):
        return Result(Outcome.CREDENTIALS, error=error)
    if any(hint in description.lower() for hint in _CREDENTIAL_HINTS):
        return Result(Outcome.CREDENTIALS, error=error)
    return Result(Outcome.FAILED, error=error or _http_error(reply))


def _http_error(reply: _http.Reply) -> str:
    return f"HTTP {reply.status}: {reply.text[:200]}".strip()


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
