"""A local Rubika bot API: /v3/<token>/<method>, JSON in and {"status", "data"} out,
with the three-step file upload (requestSendFile -> POST the file to upload_url ->
sendFile with its file_id) and editMessageText / deleteMessage.

The failure statuses (INVALID_ACCESS, TOO_REQUESTS, INVALID_INPUT) are our best reading
of Rubika's API; the documentation does not list them. A bad token (see `valid_tokens`)
answers HTTP 200 with status INVALID_ACCESS; scripted failures answer with the HTTP status
they are named for and the matching status in the body.
"""

from __future__ import annotations

import itertools
import uuid

from .base import Answer, Call, FakePlatform

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
FILE_TYPES = {"File", "Image", "Voice", "Music", "Gif", "Video"}


class FakeRubika(FakePlatform):
    name = "rubika"
    root_path = "/v3"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.messages: dict[str, dict[str, dict]] = {}  # chat -> message id -> message
        self.uploads: dict[str, tuple[str, bytes] | None] = {}  # upload key -> file
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> file
        self._ids = itertools.count(9_000_000_000_000_001)

    def route(self, path: str) -> tuple[str, str] | None:
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "upload":
            return "", f"upload:{parts[1]}"
        if len(parts) != 3 or parts[0] != "v3":
            return None
        return parts[1], parts[2]

    def counted(self, call: Call) -> int:
        return 1 if call.method in ("sendMessage", "sendFile") else 0

    def ok(self, data: dict) -> Answer:
        return Answer(200, {"status": "OK", "data": data})

    def refuse(self, status: str, http: int = 200, message: str = "") -> Answer:
        body = {"status": status}
        if message:
            body["dev_message"] = message
        return Answer(http, body)

    def error(self, kind: str, retry_after: int, description: str) -> Answer:
        if kind == "429":
            return Answer(429, {"status": "TOO_REQUESTS"}, {"Retry-After": str(retry_after)})
        if kind == "bad_token":
            return self.refuse("INVALID_ACCESS")
        if kind in ("401", "403"):
            return self.refuse("INVALID_ACCESS", int(kind))
        if kind == "400":
            return self.refuse("INVALID_INPUT", 400, description)
        code = int(kind) if kind.isdigit() else 500
        return Answer(code, {"status": "SERVER_ERROR"})

    def _answer(self, call: Call) -> Answer:
        if call.method.startswith("upload:"):  # the upload URL carries no bot token
            with self.lock:
                return self._upload(call, call.method.removeprefix("upload:"))
        return super()._answer(call)

    def dispatch(self, call: Call) -> Answer:
        handler = getattr(self, f"m_{call.method}", None)
        if handler is None:
            return self.refuse("INVALID_INPUT", 404, "no such method")
        chat = str(call.params.get("chat_id", ""))
        if call.method in ("sendMessage", "sendFile", "editMessageText", "deleteMessage"):
            if not chat:
                return self.refuse("INVALID_INPUT", message="chat_id is required")
            if self.chats is not None and chat not in self.chats:
                return self.refuse("INVALID_ACCESS", message="the bot is not in this chat")
        with self.lock:
            return handler(call, chat)

    # -- methods -------------------------------------------------------------------------
    def m_getMe(self, call: Call, chat: str) -> Answer:
        return self.ok({"bot": {"bot_id": "b0fake", "bot_title": "fake", "username": "fake_bot"}})

    def m_sendMessage(self, call: Call, chat: str) -> Answer:
        text = str(call.params.get("text") or "")
        if not text.strip() or len(text) > TEXT_LIMIT:
            return self.refuse("INVALID_INPUT", message="text is empty or too long")
        return self.ok({"message_id": self._post(chat, {"text": text})})

    def m_requestSendFile(self, call: Call, chat: str) -> Answer:
        if call.params.get("type") not in FILE_TYPES:
            return self.refuse("INVALID_INPUT", message="unknown file type")
        key = uuid.uuid4().hex
        self.uploads[key] = None
        return self.ok({"upload_url": f"{self.origin}/upload/{key}"})

    def _upload(self, call: Call, key: str) -> Answer:
        if key not in self.uploads:
            return self.refuse("INVALID_INPUT", 404, "unknown upload url")
        file = call.files.get("file")
        if file is None:
            return self.refuse("INVALID_INPUT", message="file is required")
        self.uploads[key] = file
        file_id = uuid.uuid4().hex
        self.files[file_id] = file
        return self.ok({"file_id": file_id})

    def m_sendFile(self, call: Call, chat: str) -> Answer:
        file = self.files.get(str(call.params.get("file_id") or ""))
        if file is None:
            return self.refuse("INVALID_INPUT", message="unknown file_id")
        text = str(call.params.get("text") or "")
        if len(text) > CAPTION_LIMIT:
            return self.refuse("INVALID_INPUT", message="caption too long")
        content = {"text": text, "file": {"file_name": file[0], "size": str(len(file[1]))}}
        return self.ok({"message_id": self._post(chat, content)})

    def m_editMessageText(self, call: Call, chat: str) -> Answer:
        message = self.messages.get(chat, {}).get(str(call.params.get("message_id")))
        if message is None or "file" in message:
            return self.refuse("INVALID_INPUT", message="message not found")
        text = str(call.params.get("text") or "")
        if not text.strip() or len(text) > TEXT_LIMIT:
            return self.refuse("INVALID_INPUT", message="text is empty or too long")
        message["text"] = text
        return self.ok({})

    def m_deleteMessage(self, call: Call, chat: str) -> Answer:
        if self.messages.get(chat, {}).pop(str(call.params.get("message_id")), None) is None:
            return self.refuse("INVALID_INPUT", message="message not found")
        return self.ok({})

    def _post(self, chat: str, content: dict) -> str:
        message_id = str(next(self._ids))
        self.messages.setdefault(chat, {})[message_id] = {"message_id": message_id, **content}
        return message_id

    def posted(self, chat: str | None = None) -> list[dict]:
        with self.lock:
            chats = [chat] if chat is not None else list(self.messages)
            return [m for c in chats for m in self.messages.get(c, {}).values()]
