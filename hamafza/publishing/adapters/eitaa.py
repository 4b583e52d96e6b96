"""Eitaa, through the Eitaayar API: https://eitaayar.ir/api/<token>/METHOD.

Methods used: ``sendMessage`` (chat_id, text, optional title, date, disable_notification)
and ``sendFile`` (multipart: chat_id, file, optional caption, title, date). ``date`` is a
Unix time: Eitaayar holds the message and posts it then (server-side scheduling). An
answer is Telegram-shaped: ``{"ok": true, "result": {"message_id": N, "chat": {...},
"date": ..., "text": ...}}`` or ``{"ok": false, ...}``.

Not confirmed by Eitaayar's public documentation, and chosen as the most plausible:
- the failure body carries Telegram's ``error_code`` / ``description`` (Eitaayar's
  success body copies Telegram's), and a bad token answers 401 or ``ok: false`` with an
  error_code of 401; 429 with ``parameters.retry_after`` when throttled;
- the limits: text 4096 and caption 1024 characters, as on Telegram (Eitaa is built on
  it). Eitaayar has no album, edit or delete method: one photo per message, and
  corrections go out as correction posts;
- a scheduled message (``date`` ahead) may come back without a message id: it is then
  SENT with an empty remote_id (it exists only in Eitaayar's queue until its time).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._common import NO_TOKEN, BotApiAdapter, photo_file
from .base import Message, Outcome, Result


class EitaaAdapter(BotApiAdapter):
    default_base_url = "https://eitaayar.ir/api"
    post_url_format = "https://eitaa.com/{handle}/{id}"
    text_limit = 4096
    caption_limit = 1024
    supports_album = False
    min_album = 1
    max_album = 1
    supports_edit = False
    supports_delete = False

    def __init__(self, *, title: str = "", **kwargs):
        super().__init__(**kwargs)
        self.title = title  # a label shown only in the Eitaayar panel

    def _url(self, method: str) -> str:
        return f"{self.base_url}/{self.token}/{method}"

    def publish(self, message: Message, *, send_at: datetime | None = None) -> Result:
        """`send_at` (aware) hands the message to Eitaayar's own scheduler."""
        if not self.token:
            return Result(Outcome.CREDENTIALS, error=NO_TOKEN)
        return self._publish(message, send_at=send_at)

    def _form(self, send_at: datetime | None) -> dict[str, Any]:
        form: dict[str, Any] = {"chat_id": self.chat_id}
        if self.title:
            form["title"] = self.title
        if send_at is not None:
            form["date"] = int(send_at.timestamp())
        return form

    def _publish(self, message: Message, *, send_at: datetime | None = None) -> Result:
        if len(message.photos) > self.max_album:
            return Result(
                Outcome.FAILED,
                error=f"Eitaa takes one photo per message; {len(message.photos)} were given",
            )
        if not message.photos:
            text = message.text.strip()
            if not text:
                return Result(Outcome.FAILED, error="nothing to send: the text is empty")
            failure, result = self._call("sendMessage", form={**self._form(send_at), "text": text})
            return failure or self._result(result, send_at)
        caption, follow_up = self.split_caption(message)
        form = self._form(send_at)
        if caption:
            form["caption"] = caption
        failure, result = self._call("sendFile", form=form, files={"file": photo_file(message, 0)})
        if failure is not None:
            return failure
        first = self._result(result, send_at)
        if not follow_up or first.outcome != Outcome.SENT:
            return first
        failure, result = self._call("sendMessage", form={**self._form(send_at), "text": follow_up})
        second = failure or self._result(result, send_at)
        if second.outcome != Outcome.SENT:
            # The photo is out; sending it again would post it twice.
            return Result(
                Outcome.UNCONFIRMED,
                remote_id=first.remote_id,
                remote_url=first.remote_url,
                error=f"the photo went out but the text after it did not: {second.error}",
            )
        ids = ",".join(i for i in (first.remote_id, second.remote_id) if i)
        return Result(Outcome.SENT, remote_id=ids, remote_url=first.remote_url)

    def _result(self, result: Any, send_at: datetime | None) -> Result:
        message_id = result.get("message_id") if isinstance(result, dict) else None
        if message_id is None:
            if send_at is not None:
                return Result(Outcome.SENT)
            return Result(
                Outcome.UNCONFIRMED,
                error="Eitaayar said ok but gave no message id; check the channel",
            )
        return Result(
            Outcome.SENT, remote_id=str(message_id), remote_url=self.post_url(str(message_id))
        )
