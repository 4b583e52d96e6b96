"""Rubika's bot API: POST https://botapi.rubika.ir/v3/<token>/METHOD with a JSON body;
an answer is ``{"status": "OK", "data": {...}}`` or another status with a
``dev_message``.

Confirmed from the documentation's method pages and the clients people use (rubigram's
``methods/`` and ``errors.py``, hadi-rostami's rubika-bot and rubika-document):
- ``sendMessage`` {chat_id, text} -> data.message_id, a string;
- a photo in three steps: ``requestSendFile`` {type: "Image"} -> data.upload_url; the
  file POSTed as multipart field ``file`` to that URL -> the file id; ``sendFile``
  {chat_id, file_id, text (the caption)} -> data.message_id. Only the third step posts
  anything, so a timeout in the first two is simply tried again;
- ``editMessageText`` {chat_id, message_id, text} for the bot's own texts, and
  ``deleteMessage`` {chat_id, message_id}; ``getMe`` and ``getChat`` {chat_id};
- the failure statuses ``INVALID_ACCESS`` (a bad token, "token is not valid.", or no
  right to the chat): the connection is broken; ``TOO_REQUESTS``: a rate limit (no
  retry_after is given, so every sender to that bot waits TOO_REQUESTS_PAUSE seconds);
  ``INVALID_INPUT``: this request was refused;
- no albums (one photo per message), no way to edit a caption (a photo's caption is
  corrected by a correction post), chat ids are GUIDs whose prefix tells the kind:
  ``c0…`` a channel.

Formatting: a text's formatting goes beside it, as ``metadata: {"meta_data_parts": [{"type":
"Bold" | "Italic" | "Link" | "Quote" | …, "from_index": N, "length": N}]}`` (a Link part
also carries ``link_url``), on sendMessage and editMessageText (rubka's formatting guide
and its message metadata, and a shop bot's Rubika transport that converts its HTML to
these parts). Not confirmed: whether the offsets count UTF-16 code units (taken, as those
clients do) or characters, the Link part's field name, Quote, and metadata on a file's
caption (not sent: a caption goes as plain text). A sendMessage or editMessageText with
metadata that Rubika refuses as bad input (nothing posted) is sent once more without it.
Video and documents: the same three steps with ``requestSendFile`` {type: "Video"} or
{type: "File"} (the types are File, Image, Voice, Music, Gif and Video); the caption goes
as sendFile's ``text``. ``disable_notification`` is a field of sendMessage and sendFile
(rubika-document's method pages: "if true, the message is sent without a notification").
No pinning method is documented for bots (only the user API's clients pin): the option is
not offered for Rubika channels.

The upload's answer: the clients read ``data.file_id``, some with and some without a
``status``, and some answers carry ``file_id`` at the top level: all three are accepted.

Not confirmed: ``SERVER_ERROR`` (one client), the HTTP statuses of failures (HTTP 200 is
taken as the usual one, 429 and 5xx are read the usual way), the length limits (4096 /
1024 characters), the rate limits (Telegram's), and a delete window (none is known). There
is no documented link to one channel post, and no documented member count.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from . import _http
from ._common import RemoteAdapter, part_file
from .base import MEDIA_KINDS, Message, Outcome, Part, PartKind, Platform, Result, SentPart

PLATFORM = Platform(
    kind="rubika",
    default_base_url="https://botapi.rubika.ir/v3",
    text_limit=4096,
    caption_limit=1024,
    albums=False,
    min_album=1,
    max_album=1,
    can_edit=True,  # texts only; see _edit
    can_edit_caption=False,
    can_delete=True,
    delete_window=None,
    per_bot_per_second=30,
    per_chat_per_minute=20,
    per_chat_gap=1.0,
    counting="codepoints",
    post_url_format="",
    local_server="hamafza_fakes.rubika.FakeRubika",
    chat_id_pattern=r"c0[0-9A-Za-z]{8,}",
    chat_id_hint="شناسه کانال روبیکا شناسه‌ای است که با c0 آغاز می‌شود (مانند c0BXyz12aB3…)؛"
    " آن را از ربات یا پنل روبیکا بردارید.",
    unconfirmed=(
        "the HTTP status of failures, SERVER_ERROR, and the length and rate limits",
        "whether a photo's caption can be edited (taken: it cannot)",
        "metadata parts: UTF-16 offsets, the Link part's link_url, Quote, and on captions",
        "the upload size limit for bots (Telegram's 50 MB taken)",
    ),
    formatting="rubika_metadata",
    videos=True,
    documents=True,
    max_file_bytes=50 * 1024 * 1024,
    silent=True,
)

logger = logging.getLogger(__name__)

TOO_REQUESTS_PAUSE = 5.0  # seconds
# requestSendFile's type for each kind of media part.
UPLOAD_TYPES = {PartKind.PHOTO: "Image", PartKind.VIDEO: "Video", PartKind.DOCUMENT: "File"}
BROKEN_CONNECTION = {"INVALID_ACCESS", "INVALID_AUTH", "UNAUTHORIZED", "FORBIDDEN"}
TRY_AGAIN = {"TOO_REQUESTS", "TOO_MANY_REQUESTS", "SERVER_ERROR", "INTERNAL_ERROR"}


class RubikaAdapter(RemoteAdapter):
    platform = PLATFORM

    def _url(self, method: str) -> str:
        return f"{self.base_url}/{self.token}/{method}"

    def _call(self, method: str, payload: dict, *, side_effect_free: bool = False):
        return self._answer(
            lambda: self._post(
                self._url(method), json_body=payload, side_effect_free=side_effect_free
            )
        )

    def _answer(self, send) -> tuple[Result | None, dict]:
        """(the failure, {}), or (None, the answer's data)."""
        try:
            reply = send()
        except _http.TransportFailure as failure:
            return failure.result, {}
        failure = classify(reply)
        if failure is not None:
            return failure, {}
        data = reply.data.get("data") if isinstance(reply.data, dict) else None
        return None, data if isinstance(data, dict) else {}

    # -- sending -----------------------------------------------------------------------
    def prepare(self, part: Part, message: Message) -> Part | Result:
        """A photo is uploaded first (requestSendFile, then the file to its upload_url);
        only sendFile posts it."""
        if part.kind == PartKind.TEXT or part.prepared or not self.token:
            return part
        kind = UPLOAD_TYPES.get(part.kind, "Image")
        failure, data = self._call("requestSendFile", {"type": kind}, side_effect_free=True)
        if failure is not None:
            return failure
        upload_url = str(data.get("upload_url") or "")
        if not upload_url:
            return Result(Outcome.RETRY, error="requestSendFile gave no upload_url")
        failure, file_id = self._upload(upload_url, part_file(message, part))
        return failure or replace(part, prepared=file_id)

    def _send(self, part: Part, message: Message) -> Result:
        if part.kind == PartKind.TEXT:
            failure, data = self._formatted_call(
                "sendMessage",
                {"chat_id": self.chat_id, "text": part.text, **_quiet(message)},
                message,
            )
            return failure or _sent(data)
        ready = self.prepare(part, message)
        if isinstance(ready, Result):
            return ready
        payload = {"chat_id": self.chat_id, "file_id": ready.prepared, **_quiet(message)}
        if part.text:
            payload["text"] = part.text
        failure, data = self._call("sendFile", payload)
        return failure or _sent(data)

    def _formatted_call(self, method: str, payload: dict, message: Message):
        """A text's call with its formatting (the metadata parts of the message's text);
        refused as bad input, nothing was posted: the text goes once more, unformatted."""
        if not message.entities or payload.get("text") != message.text.strip():
            return self._call(method, payload)
        parts = {"metadata": {"meta_data_parts": [dict(p) for p in message.entities]}}
        failure, data = self._call(method, {**payload, **parts})
        if failure is not None and failure.outcome == Outcome.FAILED:
            logger.warning("rubika %s refused the formatting: %s", method, failure.error)
            return self._call(method, payload)
        return failure, data

    def _upload(self, url: str, file: tuple[str, bytes, str]) -> tuple[Result | None, str]:
        """POST the file to the upload address; the file id wherever the answer puts it."""
        try:
            reply = self._post(url, files={"file": file}, side_effect_free=True)
        except _http.TransportFailure as failure:
            return failure.result, ""
        body = reply.data if isinstance(reply.data, dict) else {}
        status = str(body.get("status") or "")
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        file_id = str(data.get("file_id") or body.get("file_id") or "")
        if reply.status == 200 and file_id and status in ("", "OK"):
            return None, file_id
        failure = classify(reply)
        return failure or Result(Outcome.RETRY, error="the upload gave no file_id"), ""

    # -- edit and delete ---------------------------------------------------------------
    def _edit(self, sent: list[SentPart], message: Message) -> Result:
        texts = [p for p in sent if p.kind == "text" and p.ids]
        photos = [p for p in sent if p.kind in MEDIA_KINDS]
        if texts:
            target = texts[-1].ids[0]
        elif photos:
            return Result(
                Outcome.FAILED,
                error="Rubika's bot API cannot edit a photo's caption; send a correction",
            )
        else:  # a layout not recorded: the text is the last message
            target = sent[-1].ids[-1]
        failure, _ = self._formatted_call(
            "editMessageText",
            {"chat_id": self.chat_id, "message_id": target, "text": message.text.strip()},
            message,
        )
        return failure or Result(Outcome.SENT, remote_id=",".join(i for p in sent for i in p.ids))

    def _delete_one(self, message_id: str) -> Result:
        failure, _ = self._call(
            "deleteMessage", {"chat_id": self.chat_id, "message_id": message_id}
        )
        return failure or Result(Outcome.SENT)

    # -- the connection check ----------------------------------------------------------
    def _check(self) -> str:
        failure, _me = self._call("getMe", {}, side_effect_free=True)
        if failure is not None:
            if failure.outcome == Outcome.CREDENTIALS:
                return "توکن ربات روبیکا درست نیست یا باطل شده است."
            return "روبیکا اکنون در دسترس نیست؛ چند دقیقه بعد دوباره بیازمایید."
        failure, _chat = self._call("getChat", {"chat_id": self.chat_id}, side_effect_free=True)
        if failure is not None:
            return "ربات به این کانال روبیکا دسترسی ندارد: شناسه را بررسی کنید و ربات را مدیر کانال کنید."
        return ""


def classify(reply: _http.Reply) -> Result | None:
    """None for success; otherwise the Result for the failure."""
    data = reply.data if isinstance(reply.data, dict) else None
    status = str(data.get("status") or "") if data else ""
    if reply.status == 200 and status == "OK":
        return None
    detail = str(data.get("dev_message") or data.get("description") or "")[:300] if data else ""
    error = f"HTTP {reply.status} {status} {detail}".strip() if data else _text(reply)
    if status in ("TOO_REQUESTS", "TOO_MANY_REQUESTS") or reply.status == 429:
        pause = reply.retry_after_header or TOO_REQUESTS_PAUSE
        return Result(Outcome.RETRY, retry_after=pause, error=error)
    if status in TRY_AGAIN or reply.status >= 500:
        return Result(Outcome.RETRY, retry_after=reply.retry_after_header, error=error)
    if reply.status in (401, 403) or status in BROKEN_CONNECTION:
        return Result(Outcome.CREDENTIALS, error=error)
    if reply.status == 200 and data is None:
        return Result(Outcome.UNCONFIRMED, error=error)  # not the API's words; may have posted
    return Result(Outcome.FAILED, error=error)


def _quiet(message: Message) -> dict:
    return {"disable_notification": True} if message.silent else {}


def _sent(data: dict[str, Any]) -> Result:
    message_id = data.get("message_id")
    if message_id is None:
        return Result(
            Outcome.UNCONFIRMED, error="Rubika said OK but gave no message id; check the channel"
        )
    return Result(Outcome.SENT, remote_id=str(message_id))


def _text(reply: _http.Reply) -> str:
    return f"HTTP {reply.status}: {reply.text[:200]}"
