"""A local Telegram Bot API, /bot<token>/<method>, and Bale's (tapi.bale.ai), which copies it.

Sources are the research notes' (docs/clients/issues); each behaviour is marked CONFIRMED
(an official doc, or clients relying on it) or UNCONFIRMED (one source, inferred, or our
own choice where nothing was found).

Telegram
- Limits (enforce_limits=True), Bot FAQ "My bot is hitting limits, how do I avoid this?"
  (https://core.telegram.org/bots/faq, quoted by telegra.ph/Hitting-limits-bot-FAQ and
  grammy.dev/advanced/flood.html; PTB's constants MAX_MESSAGES_PER_SECOND=30,
  ..._PER_CHAT=1, ..._PER_MINUTE_PER_GROUP=20): 30 messages/s per bot, 20 messages/min
  per group, about 1 message/s per chat. CONFIRMED. Modelled as: 30 in a rolling second
  per token, 20 in a rolling minute per token and chat, and two posting requests into one
  chat at least 1.0 s apart (the FAQ allows short bursts; the fake does not). That the
  group limit also binds channels is UNCONFIRMED officially (PTB wiki, "Avoiding flood
  limits", quoting @BotSupport). An album of N counts N messages (UNCONFIRMED officially;
  rubenlagus/TelegramBots#1520, astrolabsoftware/fink-filters#156) and one request.
- Over a limit: HTTP 429 {"ok":false,"error_code":429,"description":"Too Many Requests:
  retry after N","parameters":{"retry_after":N}}. CONFIRMED (telegraf discussion #1619,
  client fixtures, grammY flood docs). Not modelled: an album refused part-way, which
  Telegram answers 400 'failed to send message #k with the error message "Too Many
  Requests: retry after N"' after posting the first k-1 (TelegramBots#1520): the fake
  refuses the whole album with 429 and posts none of it.
- Bad token (valid_tokens given): HTTP 401 "Unauthorized" (pyTelegramBotAPI#168,
  telepot#105, tdlib/telegram-bot-api#80) CONFIRMED; a token not of the form
  <digits>:<rest>, or an unknown method: HTTP 404 "Not Found" (python-telegram-bot#2162,
  node-red-contrib-telegrambot#19) CONFIRMED status, UNCONFIRMED exact body.
- Chats: unknown -> 400 "Bad Request: chat not found" (telebot ErrChatNotFound, aiogram
  ChatNotFound) CONFIRMED; the bot not a member -> 403 "Forbidden: bot is not a member of
  the channel chat" (tucnak/telebot#633, PR #659; Telegram.Bot#648) CONFIRMED; a member
  without can_post_messages -> 400 "Bad Request: need administrator rights in the channel
  chat" (aiogram NeedAdministratorRightsInTheChannel) CONFIRMED text, inferred 400;
  empty chat_id -> 400 "Bad Request: chat_id is empty" (telebot, aiogram) CONFIRMED.
- getChatMember for the bot: "administrator" with can_post_messages / can_edit_messages /
  can_delete_messages (channels), else "member" or "left" (docs.rs tgbot
  ChatMemberAdministrator, copying the official field docs) CONFIRMED. Any other user:
  "left" (UNCONFIRMED; the fake knows no other members but the chat's creator, id 1000).
  getChatAdministrators: the creator and the bot when it is an admin; getChat: id, type
  "channel", title, username (UNCONFIRMED beyond the fields' existence);
  getChatMemberCount -> an integer (CONFIRMED; `members` / member_counts, 0 by default).
- deleteMessage (the official method text, mirrored by teloxide-core
  payloads/delete_message.rs): only messages sent less than 48 h ago; a bot with
  can_post_messages may delete its own posts in a channel, one with can_delete_messages
  any post. Every message in the fake is the bot's own, so either right lets it delete.
  CONFIRMED. Unknown id -> 400 "Bad Request: message to delete not found"; 48 h or older,
  or neither right -> 400 "Bad Request: message can't be deleted" (telebot
  ErrNotFoundToDelete / ErrNoRightsToDelete, aiogram) CONFIRMED.
- editMessageText: unknown id -> 400 "Bad Request: message to edit not found"; neither
  can_post_messages nor can_edit_messages -> 400 "Bad Request: message can't be edited"
  (telebot, aiogram; pengrad/java-telegram-bot-api#149) CONFIRMED text, our choice of
  when; a photo -> 400 "Bad Request: there is no text in the message to edit"
  (defstudio/telegraph#267, TelegramBots#1509) CONFIRMED; the same text -> 400 NOT_MODIFIED
  below (telebot ErrSameMessageContent) CONFIRMED. editMessageCaption on a text message ->
  400 "Bad Request: there is no caption in the message to edit": UNCONFIRMED, no source
  gives this string (it mirrors the text case).
- Lengths: text 1-4096, caption 0-1024 "characters after entities parsing" (official
  sendMessage text; PTB MAX_MESSAGE_LENGTH / MAX_CAPTION_LENGTH) CONFIRMED; counted here in
  UTF-16 code units (the research's safe rule; the official counting unit for the limit
  is UNCONFIRMED), after stripping tags when parse_mode is HTML (other parse modes are
  counted raw, which can only over-count). Over -> 400 "Bad Request: message is too long"
  (telebot ErrTooLongMessage, aiogram MessageIsTooLong) CONFIRMED, "Bad Request: message
  caption is too long" UNCONFIRMED (no source in the notes). Empty text -> 400 "Bad
  Request: message text is empty" UNCONFIRMED (the notes list "message must be non-empty"
  and "text is empty").
- parse_mode=HTML (the Bot API's "HTML style"): the tags b, strong, i, em, u, ins, s,
  strike, del, span, tg-spoiler, a, tg-emoji, code, pre, blockquote; the entities &lt;
  &gt; &amp; &quot; and numeric ones; every other <, > or & must be escaped. CONFIRMED
  (the official text, quoted by teloxide's and grammY's ParseMode docs). Anything else ->
  400 "Bad Request: can't parse entities: <why>" CONFIRMED prefix; the <why> wordings
  ('Unsupported start tag "x" at byte offset N', 'Can't find end tag corresponding to
  start tag "b"', 'Unmatched end tag at byte offset N, expected "</b>", found "</i>"')
  are the ones clients quote, UNCONFIRMED in detail; a bare & or > is refused here as
  the documentation requires (whether Telegram itself lets a lone one through is
  UNCONFIRMED). Byte offsets count UTF-8 bytes.
- Albums: more than 10 -> 400 "Bad Request: too much messages to send as an album"
  (go-telegram-bot-api#245, aiogram ToMuchMessages) CONFIRMED; fewer than 2 -> "Bad
  Request: media must include 2-10 items" UNCONFIRMED.

- sendVideo (field ``video``) and sendDocument (field ``document``), each with a caption
  (official method texts: "Bots can currently send files of any type of up to 50 MB in
  size") CONFIRMED; an upload over MAX_UPLOAD (50 MB; `max_upload_bytes=` lowers it for a
  test) -> HTTP 413 {"ok": false, "error_code": 413, "description": "Request Entity Too
  Large"} (the Bot API server's answer reported in python-telegram-bot and aiogram issues)
  CONFIRMED text. editMessageCaption takes a video's or a document's caption too.
- disable_notification on every send method is kept on the message as `silent` CONFIRMED.
- pinChatMessage {chat_id, message_id, disable_notification}: the message is kept as
  `pinned` (and the chat's `pinned_message_id`); without can_edit_messages (a channel's
  right for it) -> 400 "Bad Request: not enough rights to pin a message" (issues of
  UltraMafia, telegram-bot clients) CONFIRMED text; an unknown id -> 400 "Bad Request:
  message to pin not found" UNCONFIRMED.

Bale (FakeBale): the same methods (python-bale-bot bale/request/http.py; Balethon
balethon/client/*) CONFIRMED, and Telegram's error shape (docs.bale.ai via the context7
mirror; python-bale-bot bale/request/parser.py) CONFIRMED. Where it differs:
- Limits: Bale publishes none (UNCONFIRMED): Telegram's figures. Over a limit, as
  `bale_limit_style` says: "429" (Telegram's 429 body; python-bale-bot treats HTTP 429 as
  a rate limit, CONFIRMED; whether Bale sends retry_after is UNCONFIRMED and no client
  reads it) or "bot limit exceed" (HTTP 400, description "bot limit exceed", no
  retry_after: python-bale-bot bale/error.py RATE_LIMIT, older versions matched it under
  400) CONFIRMED string, UNCONFIRMED status. Both are seen by clients.
- Bad token: HTTP 400 "Bad Request: Token not found" (python-bale-bot bale/error.py
  TOKEN_NOT_FOUND) CONFIRMED string, UNCONFIRMED status.
- Unknown chat, or the bot not in it: 400 "no such group or user" (python-bale-bot
  bale/error.py USER_OR_CHAT_NOT_FOUND; Balethon get_chat) CONFIRMED string, UNCONFIRMED
  status. A member without the right to post: 403 "Forbidden: permission_denied"
  (python-bale-bot PERMISSION_DENIED and Forbidden.check_response) UNCONFIRMED which
  actions give it, and that the two come together.
- Scripted 500: {"ok": false, "description": "internal server error"}
  (balemessenger/bale-bot-samples#191) CONFIRMED body, UNCONFIRMED status.
- getChatMemberCount and getChatMembersCount both answer (the clients disagree).
- Lengths, the 48 h delete window, the edit/delete/too-long strings: none found for Bale,
  Telegram's are used (UNCONFIRMED). parse_mode is not interpreted (Balethon sends none):
  lengths are counted raw, in UTF-16 units.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import zlib
from typing import Any

from .base import Answer, Call, FakePlatform

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a current content and reply markup of the message"
)
DELETE_WINDOW = 48 * 3600  # seconds: "sent less than 48 hours ago"
CREATOR_ID = 1000
TOKEN_FORM = re.compile(r"^\d+:.+$")
POSTING = ("sendMessage", "sendPhoto", "sendMediaGroup", "sendVideo", "sendDocument")
ACTING = ("editMessageText", "editMessageCaption", "deleteMessage", "pinChatMessage")
MAX_UPLOAD = 50 * 1024 * 1024  # "files of any type of up to 50 MB"
CAPTIONED = ("photo", "video", "document")  # the kinds of message a caption edit reaches
INTERNAL = ("kind", "sent_at")  # what the fake keeps but never answers


# The Bot API's HTML style: its tags, and its entities.
HTML_TAGS = frozenset(
    "b strong i em u ins s strike del span tg-spoiler a tg-emoji code pre blockquote".split()
)
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)"
    r"((?:\s+[A-Za-z-]+(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>]+))?)*)\s*>"
)


def html_problem(text: str) -> str:
    """ "" when `text` parses as the Bot API's HTML style; else why not, in Telegram's
    words (after "can't parse entities: ")."""

    def offset(i: int) -> int:
        return len(text[:i].encode("utf-8"))

    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            if not _ENTITY.match(text, i):
                return f"Unsupported HTML entity at byte offset {offset(i)}"
        elif char == ">":
            return f'Unexpected ">" at byte offset {offset(i)}'
        elif char == "<":
            tag = _TAG.match(text, i)
            if tag is None:
                return f"Unclosed start tag at byte offset {offset(i)}"
            name = tag.group(2).lower()
            if name not in HTML_TAGS:
                return f'Unsupported start tag "{name}" at byte offset {offset(i)}'
            if tag.group(1):
                if not open_tags:
                    return f"Unexpected end tag at byte offset {offset(i)}"
                if open_tags[-1] != name:
                    return (
                        f"Unmatched end tag at byte offset {offset(i)}, "
                        f'expected "</{open_tags[-1]}>", found "</{name}>"'
                    )
                open_tags.pop()
            else:
                open_tags.append(name)
            i = tag.end()
            continue
        i += 1
    if open_tags:
        return f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"'
    return ""


class FakeTelegram(FakePlatform):
    name = "telegram"
    # Bot FAQ, "My bot is hitting limits" (see the module's docstring).
    PER_BOT_PER_SECOND = 30
    PER_CHAT_PER_MINUTE = 20
    PER_CHAT_GAP = 1.0
    # sendMessage / sendPhoto: "1-4096" / "0-1024 characters after entities parsing".
    TEXT_LIMIT = 4096
    CAPTION_LIMIT = 1024
    COUNT_UTF16 = True
    PARSE_MODE = True  # strips HTML for the length; Bale's does not

    def __init__(self, *, max_upload_bytes: int = MAX_UPLOAD, **kwargs):
        super().__init__(**kwargs)
        self.max_upload_bytes = max_upload_bytes
        self.pinned: dict[str, int] = {}  # chat -> the message pinned there
        self._silent = False  # the call being answered asked for no notification
        self._next_id: dict[str, int] = {}
        self._groups = itertools.count(1001)

    def route(self, path: str) -> tuple[str, str] | None:
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return None
        return parts[0][3:], parts[1]

    def counted(self, call: Call) -> int:
        if call.method in ("sendMessage", "sendPhoto", "sendVideo", "sendDocument"):
            return 1
        if call.method == "sendMediaGroup":
            try:
                return max(1, len(json.loads(call.params.get("media") or "[]")))
            except (TypeError, ValueError):
                return 1
        return 0

    def message_key(self, message_id: Any) -> Any:
        return int(message_id)

    # -- answers -------------------------------------------------------------------------
    def ok(self, result: Any) -> Answer:
        return Answer(200, {"ok": True, "result": result})

    def refuse(self, code: int, description: str, **parameters) -> Answer:
        body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return Answer(code, body)

    def rate_limited(self, retry_after: int) -> Answer:
        return self.refuse(
            429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
        )

    def bad_token(self, token: str) -> Answer:
        if not TOKEN_FORM.match(token):
            return self.refuse(404, "Not Found")
        return self.refuse(401, "Unauthorized")

    def unknown_method(self) -> Answer:
        return self.refuse(404, "Not Found")

    def chat_not_found(self) -> Answer:
        return self.refuse(400, "Bad Request: chat not found")

    def not_member(self) -> Answer:
        return self.refuse(403, "Forbidden: bot is not a member of the channel chat")

    def not_admin(self) -> Answer:
        return self.refuse(400, "Bad Request: need administrator rights in the channel chat")

    def forbidden(self, description: str) -> Answer:
        return self.refuse(403, description or "Forbidden: bot was kicked from the channel chat")

    def server_error(self, code: int) -> Answer:
        return self.refuse(code, "Internal Server Error" if code == 500 else "Bad Gateway")

    def error(self, kind: str, retry_after: int, description: str) -> Answer:
        if kind == "429":
            return self.rate_limited(retry_after)
        if kind in ("401", "bad_token"):
            return self.refuse(401, "Unauthorized")
        if kind == "403":
            return self.forbidden(description)
        if kind == "400":
            return self.refuse(400, description or "Bad Request")
        return self.server_error(int(kind) if kind.isdigit() else 500)

    # -- methods -------------------------------------------------------------------------
    def dispatch(self, call: Call) -> Answer:
        handler = getattr(self, f"m_{call.method}", None)
        if handler is None:
            return self.unknown_method()
        with self.lock:
            self._silent = flag(call.params.get("disable_notification"))
            if call.method == "getMe":
                return handler(call, "", {})
            chat = str(call.params.get("chat_id") or "")
            if not chat:
                return self.refuse(400, "Bad Request: chat_id is empty")
            info = self.chat_info(chat)
            if info is None:
                return self.chat_not_found()
            if call.method in POSTING + ACTING and not info["member"]:
                return self.not_member()
            if call.method in POSTING and not info["can_post_messages"]:
                return self.not_admin()
            return handler(call, chat, info)

    def bot_user(self, token: str) -> dict:
        digits = token.split(":", 1)[0]
        bot_id = int(digits) if digits.isdigit() else 1
        return {"id": bot_id, "is_bot": True, "first_name": "fake", "username": "fake_bot"}

    def m_getMe(self, call: Call, chat: str, info: dict) -> Answer:
        return self.ok(self.bot_user(call.token))

    def m_getChat(self, call: Call, chat: str, info: dict) -> Answer:
        return self.ok(self._chat_object(chat, info))

    def m_getChatMemberCount(self, call: Call, chat: str, info: dict) -> Answer:
        return self.ok(self.member_counts.get(chat, 0))

    def m_getChatMember(self, call: Call, chat: str, info: dict) -> Answer:
        bot = self.bot_user(call.token)
        user_id = str(call.params.get("user_id") or "")
        if user_id == str(CREATOR_ID):
            return self.ok(_creator())
        if user_id != str(bot["id"]):
            return self.ok({"status": "left", "user": {"id": _int(user_id), "is_bot": False}})
        return self.ok(self._bot_member(bot, info))

    def m_getChatAdministrators(self, call: Call, chat: str, info: dict) -> Answer:
        admins = [_creator()]
        if info["admin"]:
            admins.append(self._bot_member(self.bot_user(call.token), info))
        return self.ok(admins)

    def m_sendMessage(self, call: Call, chat: str, info: dict) -> Answer:
        text = str(call.params.get("text") or "")
        if not text.strip():
            return self.refuse(400, "Bad Request: message text is empty")
        if problem := self.entities_problem(text, call):
            return problem
        if self.visible_length(text, call) > self.TEXT_LIMIT:
            return self.refuse(400, "Bad Request: message is too long")
        return self.ok(self._post(chat, info, "text", text=text))

    def m_sendPhoto(self, call: Call, chat: str, info: dict) -> Answer:
        caption = str(call.params.get("caption") or "")
        if problem := self.entities_problem(caption, call):
            return problem
        if self.visible_length(caption, call) > self.CAPTION_LIMIT:
            return self.refuse(400, "Bad Request: message caption is too long")
        photo = call.files.get("photo") or _reference(call.params.get("photo"))
        if photo is None:
            return self.refuse(400, "Bad Request: there is no photo in the request")
        return self.ok(self._post(chat, info, "photo", caption=caption, photo=[_photo(photo)]))

    def m_sendVideo(self, call: Call, chat: str, info: dict) -> Answer:
        return self._send_file(call, chat, info, "video")

    def m_sendDocument(self, call: Call, chat: str, info: dict) -> Answer:
        return self._send_file(call, chat, info, "document")

    def _send_file(self, call: Call, chat: str, info: dict, kind: str) -> Answer:
        file = call.files.get(kind) or _reference(call.params.get(kind))
        if file is None:
            return self.refuse(400, f"Bad Request: there is no {kind} in the request")
        if len(file[1]) > self.max_upload_bytes:
            return self.refuse(413, "Request Entity Too Large")
        caption = str(call.params.get("caption") or "")
        if self.visible_length(caption, call) > self.CAPTION_LIMIT:
            return self.refuse(400, "Bad Request: message caption is too long")
        return self.ok(self._post(chat, info, kind, caption=caption, **{kind: _photo(file)}))

    def m_pinChatMessage(self, call: Call, chat: str, info: dict) -> Answer:
        message = self.find(chat, call.params.get("message_id"))
        if not info["can_edit_messages"]:
            return self.refuse(400, "Bad Request: not enough rights to pin a message")
        if message is None:
            return self.refuse(400, "Bad Request: message to pin not found")
        message["pinned"] = True
        self.pinned[chat] = message["message_id"]
        return self.ok(True)

    def m_sendMediaGroup(self, call: Call, chat: str, info: dict) -> Answer:
        try:
            media = json.loads(call.params.get("media") or "[]")
        except (TypeError, ValueError):
            return self.refuse(400, "Bad Request: can't parse media JSON object")
        if not isinstance(media, list) or len(media) < 2:
            return self.refuse(400, "Bad Request: media must include 2-10 items")
        if len(media) > 10:
            return self.refuse(400, "Bad Request: too much messages to send as an album")
        items = []
        for item in media:
            ref = str(item.get("media", "")) if isinstance(item, dict) else ""
            if ref.startswith("attach://"):
                photo = call.files.get(ref.removeprefix("attach://"))
            else:
                photo = _reference(ref)
            if photo is None:
                return self.refuse(400, "Bad Request: wrong file identifier/HTTP URL specified")
            caption = str(item.get("caption") or "")
            if problem := self.entities_problem(caption, item):
                return problem
            if self.visible_length(caption, item) > self.CAPTION_LIMIT:
                return self.refuse(400, "Bad Request: message caption is too long")
            items.append((caption, photo))
        group = str(next(self._groups))
        posted = [
            self._post(
                chat, info, "photo", caption=caption, photo=[_photo(photo)], media_group_id=group
            )
            for caption, photo in items
        ]
        return self.ok(posted)

    def m_editMessageText(self, call: Call, chat: str, info: dict) -> Answer:
        text = str(call.params.get("text") or "")
        if not text.strip():
            return self.refuse(400, "Bad Request: message text is empty")
        if problem := self.entities_problem(text, call):
            return problem
        if self.visible_length(text, call) > self.TEXT_LIMIT:
            return self.refuse(400, "Bad Request: message is too long")
        message = self.find(chat, call.params.get("message_id"))
        if message is None:
            return self.refuse(400, "Bad Request: message to edit not found")
        if not (info["can_post_messages"] or info["can_edit_messages"]):
            return self.refuse(400, "Bad Request: message can't be edited")
        if message["kind"] != "text":
            return self.refuse(400, "Bad Request: there is no text in the message to edit")
        if message["text"] == text:
            return self.refuse(400, NOT_MODIFIED)
        message["text"], message["edit_date"] = text, int(self.now())
        return self.ok(_public(message))

    def m_editMessageCaption(self, call: Call, chat: str, info: dict) -> Answer:
        caption = str(call.params.get("caption") or "")
        if problem := self.entities_problem(caption, call):
            return problem
        if self.visible_length(caption, call) > self.CAPTION_LIMIT:
            return self.refuse(400, "Bad Request: message caption is too long")
        message = self.find(chat, call.params.get("message_id"))
        if message is None:
            return self.refuse(400, "Bad Request: message to edit not found")
        if not (info["can_post_messages"] or info["can_edit_messages"]):
            return self.refuse(400, "Bad Request: message can't be edited")
        if message["kind"] not in CAPTIONED:
            # UNCONFIRMED: no source gives Telegram's words for this case.
            return self.refuse(400, "Bad Request: there is no caption in the message to edit")
        if message.get("caption", "") == caption:
            return self.refuse(400, NOT_MODIFIED)
        message["caption"], message["edit_date"] = caption, int(self.now())
        return self.ok(_public(message))

    def m_deleteMessage(self, call: Call, chat: str, info: dict) -> Answer:
        message = self.find(chat, call.params.get("message_id"))
        if message is None:
            return self.refuse(400, "Bad Request: message to delete not found")
        own_or_any = info["can_post_messages"] or info["can_delete_messages"]
        if not own_or_any or self.now() - message["sent_at"] >= DELETE_WINDOW:
            return self.refuse(400, "Bad Request: message can't be deleted")
        self.forget(chat, message["message_id"])
        return self.ok(True)

    # -- helpers -------------------------------------------------------------------------
    def entities_problem(self, text: str, params: dict | Call) -> Answer | None:
        """Telegram's refusal of a text whose HTML does not parse (parse_mode=HTML)."""
        if isinstance(params, Call):
            params = params.params
        if not (self.PARSE_MODE and str(params.get("parse_mode") or "").lower() == "html"):
            return None
        problem = html_problem(text)
        return (
            self.refuse(400, f"Bad Request: can't parse entities: {problem}") if problem else None
        )

    def visible_length(self, text: str, params: dict | Call) -> int:
        """The length Telegram counts: after entities parsing (HTML tags and entities)."""
        if isinstance(params, Call):
            params = params.params
        if self.PARSE_MODE and str(params.get("parse_mode") or "").lower() == "html":
            text = html.unescape(re.sub(r"<[^>]*>", "", text))
        return self.length(text)

    def _chat_object(self, chat: str, info: dict) -> dict:
        obj: dict[str, Any] = {"id": _chat_number(chat), "type": "channel"}
        obj["title"] = str(info.get("title") or chat.lstrip("@"))
        username = info.get("username") or (chat[1:] if chat.startswith("@") else "")
        if username:
            obj["username"] = username
        return obj

    def _bot_member(self, bot: dict, info: dict) -> dict:
        if not info["member"]:
            return {"status": "left", "user": bot}
        if not info["admin"]:
            return {"status": "member", "user": bot}
        return {
            "status": "administrator",
            "user": bot,
            "can_be_edited": False,
            "is_anonymous": False,
            "can_manage_chat": True,
            "can_change_info": False,
            "can_invite_users": True,
            "can_promote_members": False,
            "can_restrict_members": True,
            "can_manage_video_chats": False,
            "can_post_messages": info["can_post_messages"],
            "can_edit_messages": info["can_edit_messages"],
            "can_delete_messages": info["can_delete_messages"],
        }

    def _post(self, chat: str, info: dict, kind: str, **content) -> dict:
        message_id = self._next_id.get(chat, 100) + 1
        self._next_id[chat] = message_id
        now = self.now()
        if self._silent:
            content["silent"] = True
        message = self.store(
            chat,
            message_id,
            kind,
            date=int(now),
            chat=self._chat_object(chat, info),
            **content,
        )
        return _public(message)


class FakeBale(FakeTelegram):
    """Bale: Telegram's API with Bale's own refusals (see the module's docstring).

    `bale_limit_style`: "429" answers a rate limit with HTTP 429 and Telegram's body;
    "bot limit exceed" with HTTP 400, description "bot limit exceed" and no retry_after."""

    name = "bale"
    # Bale documents no limits (UNCONFIRMED): Telegram's Bot FAQ figures.
    PER_BOT_PER_SECOND = 30
    PER_CHAT_PER_MINUTE = 20
    PER_CHAT_GAP = 1.0
    # Not documented for Bale (UNCONFIRMED): Telegram's, counted in UTF-16 units.
    TEXT_LIMIT = 4096
    CAPTION_LIMIT = 1024
    COUNT_UTF16 = True
    PARSE_MODE = False
    LIMIT_STYLES = ("429", "bot limit exceed")

    def __init__(self, *, bale_limit_style: str = "429", **kwargs):
        if bale_limit_style not in self.LIMIT_STYLES:
            raise ValueError(f"bale_limit_style is one of {self.LIMIT_STYLES}")
        super().__init__(**kwargs)
        self.bale_limit_style = bale_limit_style

    def rate_limited(self, retry_after: int) -> Answer:
        if self.bale_limit_style == "bot limit exceed":
            return self.refuse(400, "bot limit exceed")
        return super().rate_limited(retry_after)

    def bad_token(self, token: str) -> Answer:
        return self.refuse(400, "Bad Request: Token not found")

    def error(self, kind: str, retry_after: int, description: str) -> Answer:
        if kind in ("401", "bad_token"):
            return self.bad_token("")
        return super().error(kind, retry_after, description)

    def chat_not_found(self) -> Answer:
        return self.refuse(400, "no such group or user")

    def not_member(self) -> Answer:
        return self.refuse(400, "no such group or user")

    def not_admin(self) -> Answer:
        return self.refuse(403, "Forbidden: permission_denied")

    def forbidden(self, description: str) -> Answer:
        return self.refuse(403, description or "Forbidden: permission_denied")

    def server_error(self, code: int) -> Answer:
        return Answer(code, {"ok": False, "description": "internal server error"})

    def m_getChatMembersCount(self, call: Call, chat: str, info: dict) -> Answer:
        return self.m_getChatMemberCount(call, chat, info)


def flag(value: Any) -> bool:
    """A boolean parameter as a form or a JSON body gives it."""
    return value is True or str(value).lower() in ("true", "1")


def _public(message: dict) -> dict:
    return {k: v for k, v in message.items() if k not in INTERNAL}


def _creator() -> dict:
    return {
        "status": "creator",
        "user": {"id": CREATOR_ID, "is_bot": False, "first_name": "owner"},
        "is_anonymous": False,
    }


def _reference(value: Any) -> tuple[str, bytes] | None:
    """A photo given by file_id or URL instead of an upload."""
    if isinstance(value, str) and value and not value.startswith("attach://"):
        return value, value.encode()
    return None


def _photo(file: tuple[str, bytes]) -> dict:
    name, data = file
    return {
        "file_id": f"photo-{zlib.crc32(data)}",
        "file_size": len(data),
        "file_name": name,
    }


def _int(value: str) -> int | str:
    return int(value) if value.lstrip("-").isdigit() else value


def _chat_number(chat: str) -> int:
    if chat.lstrip("-").isdigit():
        return int(chat)
    return -1000000000000 - zlib.crc32(chat.encode()) % 10**9
