"""Rubika's bot API: POST https://botapi.rubika.ir/v3/<token>/METHOD with a JSON body;
every answer is ``{"status": "OK", "data": {...}}`` or another status.

Written to https://rubika.ir/botapi (methods and models pages):
- ``sendMessage`` {chat_id, text} -> data.message_id;
- a photo in three steps: ``requestSendFile`` {type: "Image"} -> data.upload_url; the file
  POSTed as multipart field ``file`` to that URL -> data.file_id; ``sendFile`` {chat_id,
  file_id, text} -> data.message_id. Only the third step posts anything, so a timeout in
  the first two is simply retried;
- ``editMessageText`` {chat_id, message_id, text}; ``deleteMessage`` {chat_id, message_id}.

Not confirmed by the documentation, and chosen as the most plausible:
- the failure statuses: ``INVALID_ACCESS`` (bad token or no right to the chat) ->
  credentials, ``TOO_REQUESTS`` -> retry, ``INVALID_INPUT`` and anything else -> failed;
  HTTP 429 / 5xx / 401 / 403 are read the usual way; no retry_after is documented, so only
  an HTTP Retry-After header gives one;
- the limits: text 4096, caption 1024 characters; no albums (one photo per message), and
  no way to edit a caption: a photo post's caption is corrected by a correction post;
- there is no documented link to a single channel post, so remote_url stays empty.
"""

from __future__ import annotations

from typing import Any

from ._common import RemoteAdapter, photo_file, split_remote_id
from ._http import Reply, TransportFailure
from .base import Message, Outcome, Result

_CREDENTIAL_STATUSES = {"INVALID_ACCESS", "INVALID_AUTH", "UNAUTHORIZED", "FORBIDDEN"}
_RETRY_STATUSES = {"TOO_REQUESTS", "TOO_MANY_REQUESTS", "SERVER_ERROR", "INTERNAL_ERROR"}


class RubikaAdapter(RemoteAdapter):
    default_base_url = "https://botapi.rubika.ir/v3"
    text_limit = 4096
    caption_limit = 1024
    supports_album = False
    min_album = 1
    max_album = 1
    supports_edit = True  # texts only; see _edit
    supports_delete = True

    def _url(self, method: str) -> str:
        return f"{self.base_url}/{self.token}/{method}"

    def _call(self, method: str, payload: dict, *, side_effect_free: bool = False):
        return self._answer(
            lambda: self._post(
                self._url(method), json_body=payload, side_effect_free=side_effect_free
            )
        )

    def _answer(self, send) -> tuple[Result | None, dict]:
        try:
            reply = send()
        except TransportFailure as failure:
            return failure.result, {}
        failure = classify_rubika(reply)
        if failure is not None:
            return failure, {}
        data = reply.data.get("data")
        return None, data if isinstance(data, dict) else {}

    # -- publish -------------------------------------------------------------------------
    def _publish(self, message: Message) -> Result:
        if len(message.photos) > self.max_album:
            return Result(
                Outcome.FAILED,
                error=f"Rubika takes one photo per message; {len(message.photos)} were given",
            )
        if not message.photos:
            text = message.text.strip()
            if not text:
                return Result(Outcome.FAILED, error="nothing to send: the text is empty")
            return self._send_text(text)
        caption, follow_up = self.split_caption(message)
        failure, data = self._call("requestSendFile", {"type": "Image"}, side_effect_free=True)
        if failure is not None:
            return failure
        upload_url = str(data.get("upload_url") or "")
        if not upload_url:
            return Result(Outcome.RETRY, error="requestSendFile gave no upload_url")
        failure, data = self._answer(
            lambda: self._post(
                upload_url, files={"file": photo_file(message, 0)}, side_effect_free=True
            )
        )
        if failure is not None:
            return failure
        file_id = str(data.get("file_id") or "")
        if not file_id:
            return Result(Outcome.RETRY, error="the upload gave no file_id")
        payload = {"chat_id": self.chat_id, "file_id": file_id}
        if caption:
            payload["text"] = caption
        failure, data = self._call("sendFile", payload)
        if failure is not None:
            return failure
        first = _sent(data)
        if not follow_up or first.outcome != Outcome.SENT:
            return first
        second = self._send_text(follow_up)
        if second.outcome != Outcome.SENT:
            # The photo is out; sending it again would post it twice.
            return Result(
                Outcome.UNCONFIRMED,
                remote_id=first.remote_id,
                error=f"the photo went out but the text after it did not: {second.error}",
            )
        return Result(Outcome.SENT, remote_id=f"{first.remote_id},{second.remote_id}")

    def _send_text(self, text: str) -> Result:
        failure, data = self._call("sendMessage", {"chat_id": self.chat_id, "text": text})
        return failure or _sent(data)

    # -- edit and delete -----------------------------------------------------------------
    def _edit(self, remote_id: str, message: Message) -> Result:
        ids = split_remote_id(remote_id)
        if not ids:
            return Result(Outcome.FAILED, error="no remote message id to edit")
        if message.photos:
            if len(ids) < 2:
                return Result(
                    Outcome.FAILED,
                    error="Rubika's bot API cannot edit a photo's caption; send a correction",
                )
            target, text = ids[1], message.text.strip()  # the text that followed the photo
        else:
            target, text = ids[0], message.text.strip()
        failure, _ = self._call(
            "editMessageText", {"chat_id": self.chat_id, "message_id": target, "text": text}
        )
        return failure or Result(Outcome.SENT, remote_id=remote_id)

    def _delete(self, remote_id: str) -> Result:
        ids = split_remote_id(remote_id)
        if not ids:
            return Result(Outcome.FAILED, error="no remote message id to delete")
        for message_id in ids:
            failure, _ = self._call(
                "deleteMessage", {"chat_id": self.chat_id, "message_id": message_id}
            )
            if failure is not None:
                return failure
        return Result(Outcome.SENT, remote_id=remote_id)


def classify_rubika(reply: Reply) -> Result | None:
    """None for success; otherwise the Result for the failure."""
    data = reply.data if isinstance(reply.data, dict) else None
    status = str(data.get("status") or "") if data else ""
    if reply.status == 200 and status == "OK":
        return None
    detail = ""
    if data:
        detail = str(data.get("dev_message") or data.get("description") or "")[:300]
    error = f"HTTP {reply.status} {status} {detail}".strip() if data else _text(reply)
    if reply.status == 429 or status in _RETRY_STATUSES or reply.status >= 500:
        return Result(Outcome.RETRY, retry_after=reply.retry_after_header, error=error)
    if reply.status in (401, 403) or status in _CREDENTIAL_STATUSES:
        return Result(Outcome.CREDENTIALS, error=error)
    if reply.status == 200 and data is None:
        return Result(Outcome.UNCONFIRMED, error=error)  # not the API's words; may have posted
    return Result(Outcome.FAILED, error=error)


def _sent(data: dict[str, Any]) -> Result:
    message_id = data.get("message_id")
    if message_id is None:
        return Result(
            Outcome.UNCONFIRMED, error="Rubika said OK but gave no message id; check the channel"
        )
    return Result(Outcome.SENT, remote_id=str(message_id))


def _text(reply: Reply) -> str:
    return f"HTTP {reply.status}: {reply.text[:200]}"
