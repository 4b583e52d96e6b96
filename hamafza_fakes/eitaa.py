"""A local Eitaayar API (Eitaa's bots): /api/<token>/<method> with getMe, sendMessage and
sendFile, and nothing else.

Sources are the research notes' (client code; Eitaayar publishes no error reference).
- Base URL https://eitaayar.ir/api/<token>/<method> (BahramAskari/EitaaYar-NodeJS
  lib/Eitaayar/Eitaa.ts; Ali-Nabi-Pour/EitaaYar EitaaYar/__init__.py) CONFIRMED.
- Methods: getMe (types/getMe.ts: id, is_bot, first_name, last_name, username),
  sendMessage, sendFile (the one upload, multipart field `file`, with `caption`;
  types/sendFile.ts) CONFIRMED. No album, no edit (no client has one) CONFIRMED by
  absence. deleteMessage: only bistcuite/eitaapykit calls it, and ignores the answer
  (UNCONFIRMED), so the fake answers it like any unknown method. No getChat or member
  count (one client says so and scrapes eitaa.com instead) CONFIRMED.
- Parameters kept: chat_id, text, caption, title (the panel's label), date (a Unix time:
  a scheduled send, kept as `scheduled_for`) CONFIRMED (types/sendMessage.ts).
- Success: {"ok": true, "result": {"message_id", "from", "chat": {"id", "type",
  "username"}, "date", "text"}} (types/sendMessage.ts; Ali-Nabi-Pour docs.html) CONFIRMED.
- Every failure (bad token, unknown chat or one given with "@", the bot not an admin,
  unknown method, empty or over-long text, a scripted 400/401/403) is HTTP 200 with a
  bare {"ok": false}: BahramAskari's types declare the failure as exactly that, and no two
  clients agree on an error field. UNCONFIRMED, both the body and the HTTP status.
- Chat ids: a number, or the channel's username without "@" (BahramAskari's type comment
  `1234 | bahram_askari`); no client sends an "@", so the fake knows no such chat.
  CONFIRMED forms, UNCONFIRMED that "@" is refused.
- Limits: none documented (UNCONFIRMED). Telegram's Bot FAQ figures are used (30/s per
  bot, 20/min and one request a second per chat); over them HTTP 429 with Telegram's body
  (UNCONFIRMED: no client handles a rate limit at all). Text 4096 and caption 1024, in
  code points (UNCONFIRMED: no Eitaa figure found).
- sendMessage and sendFile take disable_notification and pin (eitaaphplib's "other
  arguments", eitaapykit's pin=...) CONFIRMED: kept on the message as `silent` and
  `pinned`. sendFile takes any file (a video too). Its size limit is not documented
  (UNCONFIRMED): MAX_UPLOAD (Telegram's 50 MB; `max_upload_bytes=` lowers it), over it
  the bare refusal.
- Scripted 5xx: that HTTP status with a bare {"ok": false} (our choice).
"""

from __future__ import annotations

import re
import zlib

from .base import Answer, Call, FakePlatform

CHAT_FORM = re.compile(r"^(-?\d+|[A-Za-z0-9_.]{3,64})$")
SENDING = ("sendMessage", "sendFile")
MAX_UPLOAD = 50 * 1024 * 1024


class FakeEitaa(FakePlatform):
    name = "eitaa"
    root_path = "/api"
    # Undocumented for Eitaa (UNCONFIRMED): Telegram's Bot FAQ figures.
    PER_BOT_PER_SECOND = 30
    PER_CHAT_PER_MINUTE = 20
    PER_CHAT_GAP = 1.0
    # Unknown for Eitaa (UNCONFIRMED): Telegram's figures, in code points.
    TEXT_LIMIT = 4096
    CAPTION_LIMIT = 1024
    COUNT_UTF16 = False

    def __init__(self, *, max_upload_bytes: int = MAX_UPLOAD, **kwargs):
        super().__init__(**kwargs)
        self.max_upload_bytes = max_upload_bytes
        self._next_id: dict[str, int] = {}

    def route(self, path: str) -> tuple[str, str] | None:
        parts = path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "api":
            return None
        return parts[1], parts[2]

    def no_route(self) -> Answer:
        return self.refuse(404)  # a path outside /api/<token>/<method> (our choice)

    def valid_chat_id(self, chat: str) -> bool:
        return bool(CHAT_FORM.match(chat))

    def message_key(self, message_id) -> int:
        return int(message_id)

    def counted(self, call: Call) -> int:
        return 1 if call.method in SENDING else 0

    # -- answers -------------------------------------------------------------------------
    def ok(self, result: dict) -> Answer:
        return Answer(200, {"ok": True, "result": result})

    def refuse(self, http: int = 200) -> Answer:
        return Answer(http, {"ok": False})

    def error(self, kind: str, retry_after: int, description: str) -> Answer:
        if kind == "429":
            body = {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry_after}",
                "parameters": {"retry_after": retry_after},
            }
            return Answer(429, body)
        if kind.isdigit() and int(kind) >= 500:
            return self.refuse(int(kind))
        return self.refuse()  # bad_token, 400, 401, 403, ...

    # -- methods -------------------------------------------------------------------------
    def dispatch(self, call: Call) -> Answer:
        if call.method == "getMe":
            return self.ok(self._bot(call.token))
        if call.method not in SENDING:
            return self.refuse()  # deleteMessage, editMessageText, sendPhoto, ...
        chat = str(call.params.get("chat_id") or "")
        with self.lock:
            info = self.chat_info(chat)
            if info is None or not info["can_post_messages"]:
                return self.refuse()
            if call.method == "sendMessage":
                text = str(call.params.get("text") or "")
                if not text.strip() or self.length(text) > self.TEXT_LIMIT:
                    return self.refuse()
                return self.ok(self._post(call, chat, "text", text=text))
            file = call.files.get("file")
            caption = str(call.params.get("caption") or "")
            if file is None or self.length(caption) > self.CAPTION_LIMIT:
                return self.refuse()
            if len(file[1]) > self.max_upload_bytes:
                return self.refuse()
            document = {"file_name": file[0], "file_size": len(file[1])}
            return self.ok(self._post(call, chat, "file", caption=caption, document=document))

    def _bot(self, token: str) -> dict:
        digits = re.sub(r"\D", "", token.split(":", 1)[0])
        return {
            "id": int(digits) if digits else 1,
            "is_bot": True,
            "first_name": "fake",
            "last_name": "",
            "username": "fake_bot",
        }

    def _post(self, call: Call, chat: str, kind: str, **content) -> dict:
        message_id = self._next_id.get(chat, 100) + 1
        self._next_id[chat] = message_id
        now = self.now()
        extras = {}
        if call.params.get("title"):
            extras["title"] = str(call.params["title"])
        for param, kept in (("disable_notification", "silent"), ("pin", "pinned")):
            if str(call.params.get(param, "")).lower() in ("1", "true"):
                extras[kept] = True
        date = call.params.get("date")
        if date not in (None, "") and int(date) > now:
            extras["scheduled_for"] = int(date)
        number = int(chat) if chat.lstrip("-").isdigit() else zlib.crc32(chat.encode())
        chat_obj = {"id": number, "type": "channel"}
        if not chat.lstrip("-").isdigit():
            chat_obj["username"] = chat
        message = self.store(
            chat,
            message_id,
            kind,
            date=int(now),
            chat=chat_obj,
            **{"from": self._bot(call.token)},
            **content,
            **extras,
        )
        return {k: v for k, v in message.items() if k not in ("kind", "sent_at")}
