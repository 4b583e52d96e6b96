"""A local Eitaayar API: /api/<token>/<method> with sendMessage and sendFile.

Answers in Eitaayar's Telegram-like shape ({"ok": true, "result": {"message_id": ...}});
its failure bodies ({"ok": false, "error_code": ..., "description": ...}) are our best
reading of it, not documented. A `date` in the future is kept as the message's
`scheduled_for`: Eitaayar posts it then.
"""

from __future__ import annotations

import time

from .base import Answer, Call
from .telegram import FakeTelegram


class FakeEitaa(FakeTelegram):
    name = "eitaa"
    root_path = "/api"

    def route(self, path: str) -> tuple[str, str] | None:
        parts = path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "api":
            return None
        return parts[1], parts[2]

    def counted(self, call: Call) -> int:
        return 1 if call.method in ("sendMessage", "sendFile") else 0

    def m_sendMessage(self, call: Call, chat: str) -> Answer:
        text = str(call.params.get("text") or "")
        if not text.strip():
            return self.refuse(400, "Bad Request: message text is empty")
        if len(text) > self.text_limit:
            return self.refuse(400, "Bad Request: message is too long")
        return self.ok(self._post(chat, {"text": text, **self._extras(call)}))

    def m_sendFile(self, call: Call, chat: str) -> Answer:
        file = call.files.get("file")
        if file is None:
            return self.refuse(400, "Bad Request: file is required")
        caption = str(call.params.get("caption") or "")
        if len(caption) > self.caption_limit:
            return self.refuse(400, "Bad Request: message caption is too long")
        content = {
            "caption": caption,
            "document": {"file_name": file[0], "file_size": len(file[1])},
        }
        return self.ok(self._post(chat, {**content, **self._extras(call)}))

    # Eitaayar has no album, edit or delete methods.
    m_sendPhoto = m_sendMediaGroup = m_editMessageText = m_editMessageCaption = None
    m_deleteMessage = None

    def _extras(self, call: Call) -> dict:
        extras = {}
        if call.params.get("title"):
            extras["title"] = str(call.params["title"])
        date = call.params.get("date")
        if date not in (None, ""):
            when = int(date)
            if when > time.time():
                extras["scheduled_for"] = when
        return extras
