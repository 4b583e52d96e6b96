"""A local Rubika bot API: POST /v3/<token>/<method>, JSON in, {"status", "data"} out.

Sources are the research notes' (rubika.ir/botapi excerpts and open clients: rubigram is
DevJavad/rubigram, rubika-bot is hadi-rostami/rubika-bot, rubika-document is
hadi-rostami/rubika-document).
- Base URL https://botapi.rubika.ir/v3/<token>/<method>, every method POST with JSON
  (rubika.ir/botapi) CONFIRMED.
- Envelope {"status": "OK", "data": {...}} (rubigram methods/network/request.py,
  rubika-bot src/bot/methods/advanced/builder.ts) CONFIRMED. Errors come back with HTTP
  200 and another status (both clients check the HTTP status first, then the body's):
  UNCONFIRMED, but what the fake does for every refusal except a scripted 5xx.
- Bad token (valid_tokens given, or answer_401): {"status":"INVALID_ACCESS",
  "dev_message":"token is not valid."} (rubika-bot errors.ts, builder.ts) CONFIRMED.
- Chat ids are object GUIDs with a type prefix: c0 channel, g0 group, u0 user, b0 bot,
  s0 service (several clients' guessGuid / startswith("c0")) CONFIRMED; a channel is
  resolved from its @username by the client, never by the API, so an id of any other form
  (an "@name") is a chat the fake cannot know. Unknown chat -> {"status":"INVALID_INPUT"}
  (rubika-bot errors.ts shows INVALID_INPUT for bad parameters; that a wrong chat_id is
  one is inferred) UNCONFIRMED.
- The bot without rights in the chat (not an admin, or without the right needed; or
  answer_403): {"status":"INVALID_ACCESS","dev_message":"The bot doesn’t have access to
  the chat."} with U+2019 (rubika-bot errors.ts) CONFIRMED body, UNCONFIRMED when.
- Rate limit (answer_429, or enforce_limits): HTTP 200 {"status":"TOO_REQUESTS"}, no
  dev_message and no retry_after known (rubigram errors.py TooRequests) CONFIRMED status,
  UNCONFIRMED the rest. Limits undocumented (UNCONFIRMED): Telegram's Bot FAQ figures.
- getMe -> data.bot {bot_id, bot_title, username, ...} (rubigram methods/users/get_me.py;
  a client reads .get("bot")) UNCONFIRMED fields. getChat {chat_id} -> data.chat
  {chat_id, chat_type, title, username, ...} (rubika-document docs/03-bot/03-methods/
  03-getChat.md) CONFIRMED; no member count is documented, so the fake has none
  (rubika-bot's getChatMemberCount is undocumented and answers like an unknown method).
- sendMessage {chat_id, text} -> data.message_id, a string (rubika-document
  04-sendMessage.md) CONFIRMED.
- Files in three steps (CONFIRMED: rubigram methods/files/request_send_file.py,
  methods/network/upload_file.py, methods/files/send_file.py; rubika-bot _sendFile.ts,
  uploadFile.ts): requestSendFile {type: File|Image|Voice|Music|Gif|Video} ->
  data.upload_url (here a URL back to the fake, no token in it); POST the file there as
  multipart field `file` -> {"status":"OK","data":{"file_id"}}; sendFile {chat_id,
  file_id, text (the caption)} -> data.message_id. `upload_shape` picks the upload's
  answer: "enveloped" (the default, as both clients read it), "data_only" ({"data":
  {"file_id"}}, no status) or "top_level" ({"file_id"}; one defensive client accepts it,
  UNCONFIRMED).
- editMessageText {chat_id, message_id, text} -> OK (rubigram
  methods/messages/edit_message_text.py) CONFIRMED request, UNCONFIRMED answer; on a file
  message it is refused with INVALID_INPUT (untested anywhere: UNCONFIRMED); an unchanged
  text is accepted (UNCONFIRMED). deleteMessage {chat_id, message_id} -> OK (rubigram
  delete_messages.py, rubika-bot deleteMessage.ts) CONFIRMED; no 48 h window (rubigram's
  docstring has one but looks copied from Telegram: UNCONFIRMED, not modelled). An unknown
  message id -> INVALID_INPUT (UNCONFIRMED).
- Lengths unknown (UNCONFIRMED): text 4096 and caption 1024, in code points; over or
  empty -> INVALID_INPUT.
- Formatting: sendMessage and editMessageText take ``metadata: {"meta_data_parts": [{type,
  from_index, length}]}`` (types Bold, Italic, Underline, Strike, Mono, Pre, Spoiler,
  Quote, Link with link_url; rubka's formatting guide and message metadata) UNCONFIRMED
  shape and unit (UTF-16 code units taken, as those clients count). A part that is not of
  that shape, or reaches past the text -> INVALID_INPUT (UNCONFIRMED). Kept on the
  message as `metadata`.
- Unknown method -> {"status":"INVALID_INPUT"} (UNCONFIRMED). Scripted 5xx -> that HTTP
  status with {"status":"SERVER_ERROR"} (the status is in one TypeScript type only:
  UNCONFIRMED).
"""

from __future__ import annotations

import itertools
import re
import uuid
from typing import Any

from .base import Answer, Call, FakePlatform

FILE_TYPES = {"File", "Image", "Voice", "Music", "Gif", "Video"}
GUID = re.compile(r"^[cgubs]0[0-9A-Za-z]+$")
CHAT_TYPES = {"c": "Channel", "g": "Group", "u": "User", "b": "Bot", "s": "Service"}
NO_ACCESS = "The bot doesn\u2019t have access to the chat."
UPLOAD_SHAPES = ("enveloped", "data_only", "top_level")
META_TYPES = {"Bold", "Italic", "Underline", "Strike", "Mono", "Pre", "Spoiler", "Quote", "Link"}
SENDING = ("sendMessage", "sendFile")
ACTING = ("editMessageText", "deleteMessage")
# No upload limit is documented for bots (UNCONFIRMED): Telegram's 50 MB, over it the
# upload is refused as bad input (`max_upload_bytes=` lowers it for a test).
MAX_UPLOAD = 50 * 1024 * 1024


class FakeRubika(FakePlatform):
    name = "rubika"
    root_path = "/v3"
    # Undocumented for Rubika (UNCONFIRMED): Telegram's Bot FAQ figures.
    PER_BOT_PER_SECOND = 30
    PER_CHAT_PER_MINUTE = 20
    PER_CHAT_GAP = 1.0
    # Unknown for Rubika (UNCONFIRMED): Telegram's figures, in code points.
    TEXT_LIMIT = 4096
    CAPTION_LIMIT = 1024
    COUNT_UTF16 = False

    def __init__(
        self, *, upload_shape: str = "enveloped", max_upload_bytes: int = MAX_UPLOAD, **kwargs
    ):
        if upload_shape not in UPLOAD_SHAPES:
            raise ValueError(f"upload_shape is one of {UPLOAD_SHAPES}")
        super().__init__(**kwargs)
        self.upload_shape = upload_shape
        self.max_upload_bytes = max_upload_bytes
        self.uploads: dict[str, tuple[str, bytes] | None] = {}  # upload key -> file
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> file
        self._upload_types: dict[str, str] = {}  # upload key -> its requestSendFile type
        self._file_types: dict[str, str] = {}  # file_id -> type
        self._ids = itertools.count(9_000_000_000_000_001)

    def route(self, path: str) -> tuple[str, str] | None:
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "upload":
            return "", f"upload:{parts[1]}"
        if len(parts) != 3 or parts[0] != "v3":
            return None
        return parts[1], parts[2]

    def no_route(self) -> Answer:
        return Answer(404, {"status": "INVALID_INPUT"})  # our choice

    def valid_chat_id(self, chat: str) -> bool:
        return bool(GUID.match(chat))

    def counted(self, call: Call) -> int:
        return 1 if call.method in SENDING else 0

    # -- answers -------------------------------------------------------------------------
    def ok(self, data: dict) -> Answer:
        return Answer(200, {"status": "OK", "data": data})

    def refuse(self, status: str, message: str = "", http: int = 200) -> Answer:
        body = {"status": status}
        if message:
            body["dev_message"] = message
        return Answer(http, body)

    def error(self, kind: str, retry_after: int, description: str) -> Answer:
        if kind == "429":
            return self.refuse("TOO_REQUESTS")
        if kind in ("401", "bad_token"):
            return self.refuse("INVALID_ACCESS", "token is not valid.")
        if kind == "403":
            return self.refuse("INVALID_ACCESS", description or NO_ACCESS)
        if kind == "400":
            return self.refuse("INVALID_INPUT", description)
        code = int(kind) if kind.isdigit() else 500
        return self.refuse("SERVER_ERROR", http=code)

    def _answer(self, call: Call, arrived: float) -> Answer:
        if call.method.startswith("upload:"):  # the upload URL carries no bot token
            with self.lock:
                return self._upload(call, call.method.removeprefix("upload:"))
        return super()._answer(call, arrived)

    # -- methods -------------------------------------------------------------------------
    def dispatch(self, call: Call) -> Answer:
        handler = getattr(self, f"m_{call.method}", None)
        if handler is None:
            return self.refuse("INVALID_INPUT")
        with self.lock:
            if call.method in ("getMe", "requestSendFile"):
                return handler(call, "", {})
            chat = str(call.params.get("chat_id") or "")
            info = self.chat_info(chat)
            if info is None:
                return self.refuse("INVALID_INPUT")
            if call.method in SENDING and not info["can_post_messages"]:
                return self.refuse("INVALID_ACCESS", NO_ACCESS)
            if call.method in ACTING and not info["admin"]:
                return self.refuse("INVALID_ACCESS", NO_ACCESS)
            return handler(call, chat, info)

    def m_getMe(self, call: Call, chat: str, info: dict) -> Answer:
        bot = {"bot_id": "b0fake", "bot_title": "fake", "username": "fake_bot", "description": ""}
        return self.ok({"bot": bot})

    def m_getChat(self, call: Call, chat: str, info: dict) -> Answer:
        username = str(info.get("username") or "")
        data = {
            "chat_id": chat,
            "chat_type": CHAT_TYPES[chat[0]],
            "title": str(info.get("title") or chat),
        }
        if username:
            data["username"] = username
        return self.ok({"chat": data})

    def m_sendMessage(self, call: Call, chat: str, info: dict) -> Answer:
        text = str(call.params.get("text") or "")
        if not text.strip() or self.length(text) > self.TEXT_LIMIT:
            return self.refuse("INVALID_INPUT")
        metadata = call.params.get("metadata")
        if metadata is not None and not _metadata_fits(metadata, text):
            return self.refuse("INVALID_INPUT")
        content = {"text": text, **({"metadata": metadata} if metadata else {}), **_quiet(call)}
        return self.ok({"message_id": self._post(chat, "text", **content)})

    def m_requestSendFile(self, call: Call, chat: str, info: dict) -> Answer:
        kind = call.params.get("type")
        if kind not in FILE_TYPES:
            return self.refuse("INVALID_INPUT")
        key = uuid.uuid4().hex
        self.uploads[key] = None
        self._upload_types[key] = str(kind)
        return self.ok({"upload_url": f"{self.origin}/upload/{key}"})

    def _upload(self, call: Call, key: str) -> Answer:
        if key not in self.uploads:
            return self.refuse("INVALID_INPUT", http=404)
        file = call.files.get("file")
        if file is None or len(file[1]) > self.max_upload_bytes:
            return self.refuse("INVALID_INPUT")
        self.uploads[key] = file
        file_id = uuid.uuid4().hex
        self.files[file_id] = file
        self._file_types[file_id] = self._upload_types.get(key, "File")
        if self.upload_shape == "data_only":
            return Answer(200, {"data": {"file_id": file_id}})
        if self.upload_shape == "top_level":
            return Answer(200, {"file_id": file_id})
        return self.ok({"file_id": file_id})

    def m_sendFile(self, call: Call, chat: str, info: dict) -> Answer:
        file_id = str(call.params.get("file_id") or "")
        file = self.files.get(file_id)
        if file is None:
            return self.refuse("INVALID_INPUT")
        text = str(call.params.get("text") or "")
        if self.length(text) > self.CAPTION_LIMIT:
            return self.refuse("INVALID_INPUT")
        kind = FILE_KINDS.get(self._file_types.get(file_id, ""), "file")
        content = {"file_id": file_id, "file_name": file[0], "size": str(len(file[1]))}
        message_id = self._post(chat, kind, caption=text, file=content, **_quiet(call))
        return self.ok({"message_id": message_id})

    def m_editMessageText(self, call: Call, chat: str, info: dict) -> Answer:
        message = self.find(chat, call.params.get("message_id"))
        if message is None or message["kind"] != "text":
            return self.refuse("INVALID_INPUT")
        if not (info["can_post_messages"] or info["can_edit_messages"]):
            return self.refuse("INVALID_ACCESS", NO_ACCESS)
        text = str(call.params.get("text") or "")
        if not text.strip() or self.length(text) > self.TEXT_LIMIT:
            return self.refuse("INVALID_INPUT")
        metadata = call.params.get("metadata")
        if metadata is not None and not _metadata_fits(metadata, text):
            return self.refuse("INVALID_INPUT")
        message["text"] = text
        if metadata is not None:
            message["metadata"] = metadata
        return self.ok({})

    def m_deleteMessage(self, call: Call, chat: str, info: dict) -> Answer:
        message = self.find(chat, call.params.get("message_id"))
        if message is None:
            return self.refuse("INVALID_INPUT")
        if not (info["can_post_messages"] or info["can_delete_messages"]):
            return self.refuse("INVALID_ACCESS", NO_ACCESS)
        self.forget(chat, message["message_id"])
        return self.ok({})

    def _post(self, chat: str, kind: str, **content: Any) -> str:
        message_id = str(next(self._ids))
        self.store(chat, message_id, kind, **content)
        return message_id


def _metadata_fits(metadata: Any, text: str) -> bool:
    """Whether `metadata` is {"meta_data_parts": [...]} of known parts inside `text`
    (offsets in UTF-16 code units)."""
    parts = metadata.get("meta_data_parts") if isinstance(metadata, dict) else None
    if not isinstance(parts, list):
        return False
    units = len(text.encode("utf-16-le")) // 2
    for part in parts:
        if not isinstance(part, dict) or part.get("type") not in META_TYPES:
            return False
        start, length = part.get("from_index"), part.get("length")
        if not (isinstance(start, int) and isinstance(length, int)):
            return False
        if start < 0 or length <= 0 or start + length > units:
            return False
        if part["type"] == "Link" and not str(part.get("link_url") or "").startswith("http"):
            return False
    return True


# What a sent file is, by the type its upload was asked for.
FILE_KINDS = {"Image": "photo", "Video": "video"}


def _quiet(call: Call) -> dict:
    """disable_notification, kept on the message as `silent` (rubika-document's pages)."""
    return {"silent": True} if call.params.get("disable_notification") is True else {}
