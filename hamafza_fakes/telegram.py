"""A local Telegram Bot API (and Bale, which speaks the same): /bot<token>/<method>.

Keeps each chat's messages, so edits and deletes act on what was posted, and refuses what
Telegram refuses: empty or over-long texts and captions, albums outside 2-10, edits that
change nothing, unknown message ids. With `enforce_limits`, a bot posting more than 30
messages in a rolling second, or more than 20 to one chat in a rolling minute, gets 429
with retry_after (an album counts one message per photo, as on Telegram).
"""

from __future__ import annotations

import json
import time
from typing import Any

from .base import Answer, Call, FakePlatform

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a current content and reply markup of the message"
)


class FakeTelegram(FakePlatform):
    name = "telegram"
    text_limit = TEXT_LIMIT
    caption_limit = CAPTION_LIMIT

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.messages: dict[str, dict[int, dict]] = {}  # chat -> message id -> message
        self._next_id: dict[str, int] = {}
        self._next_group = 1000
        self.member_counts: dict[str, int] = {}  # chat -> subscribers getChatMemberCount gives

    def route(self, path: str) -> tuple[str, str] | None:
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return None
        return parts[0][3:], parts[1]

    def counted(self, call: Call) -> int:
        if call.method in ("sendMessage", "sendPhoto"):
            return 1
        if call.method == "sendMediaGroup":
            try:
                return max(1, len(json.loads(call.params.get("media") or "[]")))
            except ValueError:
                return 1
        return 0

    # -- answers -------------------------------------------------------------------------
    def ok(self, result: Any) -> Answer:
        return Answer(200, {"ok": True, "result": result})

    def refuse(self, code: int, description: str, **parameters) -> Answer:
        body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return Answer(code, body)

    def error(self, kind: str, retry_after: int, description: str) -> Answer:
        if kind == "429":
            return self.refuse(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
        if kind in ("401", "bad_token"):
            return self.refuse(401, "Unauthorized")
        if kind == "403":
            return self.refuse(
                403, description or "Forbidden: bot was kicked from the channel chat"
            )
        if kind == "400":
            return self.refuse(400, description or "Bad Request")
        code = int(kind) if kind.isdigit() else 500
        return self.refuse(code, description or "Internal Server Error")

    # -- methods -------------------------------------------------------------------------
    def dispatch(self, call: Call) -> Answer:
        handler = getattr(self, f"m_{call.method}", None)
        if handler is None:
            return self.refuse(404, "Not Found")
        chat = str(call.params.get("chat_id", ""))
        if call.method != "getMe":
            if not chat:
                return self.refuse(400, "Bad Request: chat_id is empty")
            if self.chats is not None and chat not in self.chats:
                return self.refuse(400, "Bad Request: chat not found")
        with self.lock:
            return handler(call, chat)

    def m_getChatMemberCount(self, call: Call, chat: str) -> Answer:
        return self.ok(self.member_counts.get(chat, 0))

    def m_getMe(self, call: Call, chat: str) -> Answer:
        return self.ok({"id": 1, "is_bot": True, "first_name": "fake", "username": "fake_bot"})

    def m_sendMessage(self, call: Call, chat: str) -> Answer:
        text = str(call.params.get("text") or "")
        if not text.strip():
            return self.refuse(400, "Bad Request: message text is empty")
        if len(text) > self.text_limit:
            return self.refuse(400, "Bad Request: message is too long")
        return self.ok(self._post(chat, {"text": text}))

    def m_sendPhoto(self, call: Call, chat: str) -> Answer:
        caption = str(call.params.get("caption") or "")
        if len(caption) > self.caption_limit:
            return self.refuse(400, "Bad Request: message caption is too long")
        photo = call.files.get("photo")
        if photo is None:
            return self.refuse(400, "Bad Request: there is no photo in the request")
        return self.ok(self._post(chat, {"caption": caption, "photo": [_photo(photo)]}))

    def m_sendMediaGroup(self, call: Call, chat: str) -> Answer:
        try:
            media = json.loads(call.params.get("media") or "[]")
        except ValueError:
            return self.refuse(400, "Bad Request: can't parse media JSON object")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            return self.refuse(400, "Bad Request: media must include 2-10 items")
        items = []
        for item in media:
            ref = str(item.get("media", ""))
            photo = call.files.get(ref.removeprefix("attach://"))
            if not ref.startswith("attach://") or photo is None:
                return self.refuse(400, "Bad Request: wrong file identifier/HTTP URL specified")
            caption = str(item.get("caption") or "")
            if len(caption) > self.caption_limit:
                return self.refuse(400, "Bad Request: message caption is too long")
            items.append((caption, photo))
        self._next_group += 1
        group = str(self._next_group)
        posted = [
            self._post(
                chat, {"caption": caption, "photo": [_photo(photo)], "media_group_id": group}
            )
            for caption, photo in items
        ]
        return self.ok(posted)

    def m_editMessageText(self, call: Call, chat: str) -> Answer:
        message = self._find(chat, call.params.get("message_id"))
        if message is None:
            return self.refuse(400, "Bad Request: message to edit not found")
        text = str(call.params.get("text") or "")
        if not text.strip():
            return self.refuse(400, "Bad Request: message text is empty")
        if len(text) > self.text_limit:
            return self.refuse(400, "Bad Request: message is too long")
        if "text" not in message:
            return self.refuse(400, "Bad Request: there is no text in the message to edit")
        if message["text"] == text:
            return self.refuse(400, NOT_MODIFIED)
        message["text"], message["edit_date"] = text, int(time.time())
        return self.ok(message)

    def m_editMessageCaption(self, call: Call, chat: str) -> Answer:
        message = self._find(chat, call.params.get("message_id"))
        if message is None:
            return self.refuse(400, "Bad Request: message to edit not found")
        caption = str(call.params.get("caption") or "")
        if len(caption) > self.caption_limit:
            return self.refuse(400, "Bad Request: message caption is too long")
        if "photo" not in message:
            return self.refuse(400, "Bad Request: there is no caption in the message to edit")
        if message.get("caption", "") == caption:
            return self.refuse(400, NOT_MODIFIED)
        message["caption"], message["edit_date"] = caption, int(time.time())
        return self.ok(message)

    def m_deleteMessage(self, call: Call, chat: str) -> Answer:
        message = self._find(chat, call.params.get("message_id"))
        if message is None:
            return self.refuse(400, "Bad Request: message to delete not found")
        del self.messages[chat][message["message_id"]]
        return self.ok(True)

    # -- state ---------------------------------------------------------------------------
    def _post(self, chat: str, content: dict) -> dict:
        message_id = self._next_id.get(chat, 100) + 1
        self._next_id[chat] = message_id
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": _chat_number(chat), "type": "channel", "username": chat.lstrip("@")},
            **content,
        }
        self.messages.setdefault(chat, {})[message_id] = message
        return message

    def _find(self, chat: str, message_id: Any) -> dict | None:
        try:
            return self.messages.get(chat, {}).get(int(message_id))
        except (TypeError, ValueError):
            return None

    def posted(self, chat: str | None = None) -> list[dict]:
        """Messages standing in `chat` (or every chat), oldest first."""
        with self.lock:
            chats = [chat] if chat is not None else list(self.messages)
            return [m for c in chats for m in self.messages.get(c, {}).values()]


class FakeBale(FakeTelegram):
    name = "bale"


def _photo(file: tuple[str, bytes]) -> dict:
    name, data = file
    return {
        "file_id": f"photo-{abs(hash(data)) % 10**9}",
        "file_size": len(data),
        "file_name": name,
    }


def _chat_number(chat: str) -> int:
    if chat.lstrip("-").isdigit():
        return int(chat)
    return -1000000000000 - abs(hash(chat)) % 10**9
