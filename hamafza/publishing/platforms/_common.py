"""What the remote adapters share: their constructor, the empty-token guard, the files
they upload, and the reading of a Telegram-shaped JSON answer (Telegram and Bale answer
``{"ok": ..., "error_code": ..., "description": ..., "parameters": {"retry_after": N}}``;
Eitaayar copies the success half of it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _http
from .base import MEDIA_KINDS, Adapter, Message, Outcome, Part, PartKind, Result, SentPart

NO_TOKEN = "the connection has no readable token (stored with another SECRET_KEY?)"


class RemoteAdapter(Adapter):
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
        super().__init__(base_url=base_url, token=token, chat_id=chat_id, timeout=timeout)
        self.connect_timeout = connect_timeout
        # The channel's public name, for links to its posts; taken from the chat id when
        # that is itself an @name.
        handle = public_handle or (chat_id if chat_id.startswith("@") else "")
        self.public_handle = handle.lstrip("@")

    def __repr__(self) -> str:  # never the token
        return f"<{type(self).__name__} {self.base_url} chat={self.chat_id}>"

    def post_url(self, message_id: str) -> str:
        fmt = self.platform.post_url_format
        if not (fmt and self.public_handle and message_id):
            return ""
        return fmt.format(handle=self.public_handle, id=message_id)

    def _post(self, url: str, **kwargs) -> _http.Reply:
        return _http.post(
            url,
            token=self.token,
            connect_timeout=self.connect_timeout,
            read_timeout=self.timeout,
            **kwargs,
        )

    # -- the public operations, guarded against a missing token ------------------------
    def send(self, part: Part, message: Message) -> Result:
        if not self.token:
            return Result(Outcome.CREDENTIALS, error=NO_TOKEN)
        if not part.photos and not part.text and part.kind == PartKind.TEXT:
            return Result(Outcome.FAILED, error="nothing to send: the text is empty")
        if part.kind in (PartKind.VIDEO, PartKind.DOCUMENT):
            refused = too_big(self.platform, message)
            if refused is not None:
                return refused
        if len(part.photos) > self.platform.max_album:
            return Result(
                Outcome.FAILED,
                error=f"{len(part.photos)} photos; one message takes at most "
                f"{self.platform.max_album}",
            )
        return self._send(part, message)

    def edit(self, sent: list[SentPart], message: Message) -> Result:
        if not self.platform.can_edit:
            return super().edit(sent, message)
        if not self.token:
            return Result(Outcome.CREDENTIALS, error=NO_TOKEN)
        if not any(p.ids for p in sent):
            return Result(Outcome.FAILED, error="no remote message id to edit")
        return self._edit(sent, message)

    def delete(self, sent: list[SentPart]) -> Result:
        if not self.platform.can_delete:
            return super().delete(sent)
        if not self.token:
            return Result(Outcome.CREDENTIALS, error=NO_TOKEN)
        ids = [i for p in sent for i in p.ids]
        if not ids:
            return Result(Outcome.FAILED, error="no remote message id to delete")
        for message_id in ids:
            result = self._delete_one(message_id)
            if result.outcome != Outcome.SENT:
                return result
        return Result(Outcome.SENT, remote_id=",".join(ids))

    def check(self) -> str:
        if not self.token:
            return "توکن ربات خوانا نیست؛ دوباره وارد کنید."
        return self._check()

    def _send(self, part: Part, message: Message) -> Result:
        raise NotImplementedError

    def _edit(self, sent: list[SentPart], message: Message) -> Result:
        raise NotImplementedError

    def _delete_one(self, message_id: str) -> Result:
        raise NotImplementedError

    def _check(self) -> str:
        return ""

    # -- where the text of a post sent in parts lives ------------------------------------
    def text_holder(self, sent: list[SentPart], message: Message) -> tuple[str, str, str]:
        """(how to edit: "text" | "caption", the message id, the new text) for an edit of
        a post sent as `sent`; the kind is "" when the new text cannot go there."""
        text = message.text.strip()
        follow_up = [p for p in sent if p.kind == "text" and p.ids]
        photos = [p for p in sent if p.kind in MEDIA_KINDS and p.ids]
        if follow_up:
            return "text", follow_up[-1].ids[0], text
        if photos:
            if not self.platform.can_edit_caption:
                return "", "", text
            if message.length(self.platform) > self.platform.caption_limit:
                return "", "", text
            return "caption", photos[0].ids[0], text
        return "text", sent[-1].ids[-1], text  # a layout not recorded: the last message


def part_file(message: Message, part: Part) -> tuple[str, bytes, str]:
    """The file a media part uploads: its (first) photo, or the post's video or document."""
    if part.kind in (PartKind.VIDEO, PartKind.DOCUMENT):
        return attachment_file(message)
    return photo_file(message, part.photos[0])


def attachment_file(message: Message) -> tuple[str, bytes, str]:
    default = "video.mp4" if message.attachment_kind == PartKind.VIDEO else "document"
    return (
        message.attachment_name or default,
        message.attachment,
        message.attachment_type or "application/octet-stream",
    )


def too_big(platform, message: Message) -> Result | None:
    """The attachment is larger than a bot may upload there: refused before any request
    (the composer says so before submitting; this is for a limit changed since)."""
    limit = platform.max_file_bytes
    if message.attachment and limit and len(message.attachment) > limit:
        return Result(
            Outcome.FAILED,
            error=f"the {message.attachment_kind} is {len(message.attachment)} bytes; "
            f"{platform.kind} bots upload at most {limit}",
        )
    return None


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

# 502 Bad Gateway and 504 Gateway Timeout from a proxy page (not the API's own JSON).
GATEWAY_UNKNOWN = (502, 504)


@dataclass(frozen=True)
class BotAnswer:
    """A Telegram-shaped answer, read once: `json` False when the body was not the API's."""

    status: int
    json: bool
    ok: bool
    result: Any
    code: int
    description: str
    retry_after: float | None
    text: str

    @classmethod
    def of(cls, reply: _http.Reply) -> BotAnswer:
        data = reply.data if isinstance(reply.data, dict) else None
        if data is None:
            return cls(reply.status, False, False, None, reply.status, "", None, _http_error(reply))
        parameters = data.get("parameters") if isinstance(data.get("parameters"), dict) else {}
        # Telegram and Bale say `description`; Eitaayar's clients also read these two.
        reason = data.get("description") or data.get("error") or data.get("message") or ""
        code = _int(data.get("error_code")) or reply.status
        return cls(
            status=reply.status,
            json=True,
            ok=reply.status == 200 and data.get("ok") is True,
            result=data.get("result"),
            code=code,
            description=str(reason)[:500],
            retry_after=_http.seconds(parameters.get("retry_after")) or reply.retry_after_header,
            text=f"{code} {str(reason)[:500]}".strip(),
        )

    def has(self, *phrases: str) -> bool:
        lowered = self.description.lower()
        return any(phrase in lowered for phrase in phrases)


def not_the_api(answer: BotAnswer) -> Result:
    """An answer that is not the API's own JSON: a proxy page, a cut body."""
    if answer.status in GATEWAY_UNKNOWN or answer.status == 200:
        # Something between us and the platform gave up, or answered for it: the
        # platform may well have posted. Not retried blindly; a person checks.
        return Result(Outcome.UNCONFIRMED, error=answer.text)
    if answer.status >= 500 or answer.status == 429:
        return Result(Outcome.RETRY, retry_after=answer.retry_after, error=answer.text)
    if answer.status in (401, 403, 404):
        return Result(Outcome.CREDENTIALS, error=answer.text)
    return Result(Outcome.FAILED, error=answer.text)


class BotApiAdapter(RemoteAdapter):
    """A platform whose API answers in Telegram's shape; `classify(answer, method)` is the
    platform's own reading of a failure."""

    def _url(self, method: str) -> str:
        raise NotImplementedError

    def classify(self, answer: BotAnswer, method: str) -> Result:
        raise NotImplementedError

    def _call(self, method: str, **kwargs) -> tuple[Result | None, Any]:
        """(the failure, None), or (None, the answer's `result`)."""
        try:
            reply = self._post(self._url(method), **kwargs)
        except _http.TransportFailure as failure:
            return failure.result, None
        answer = BotAnswer.of(reply)
        if answer.ok:
            return None, answer.result
        return (self.classify(answer, method) if answer.json else not_the_api(answer)), None


def message_ids(result: Any) -> list[str]:
    items = result if isinstance(result, list) else [result]
    return [
        str(item["message_id"])
        for item in items
        if isinstance(item, dict) and item.get("message_id") is not None
    ]


def no_message_id(platform: str) -> Result:
    return Result(
        Outcome.UNCONFIRMED, error=f"{platform} said ok but gave no message id; check the channel"
    )


def _http_error(reply: _http.Reply) -> str:
    return f"HTTP {reply.status}: {reply.text[:200]}".strip()


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
