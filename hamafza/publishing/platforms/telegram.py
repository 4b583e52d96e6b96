"""Telegram, through the Bot API: https://core.telegram.org/bots/api.

Methods: sendMessage, sendPhoto, sendMediaGroup (2-10 InputMediaPhoto, the files attached
as ``attach://<name>`` in one multipart body), editMessageText, editMessageCaption,
deleteMessage, getChatMemberCount, and getMe + getChatMember to check a connection.
Every answer is ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N,
"description": "...", "parameters": {"retry_after": N}}``.

The answers it tells apart (the descriptions as the Bot API writes them, collected from
the documentation and the clients people use: python-telegram-bot, aiogram, telebot):
- 401 "Unauthorized" (a revoked token) and 404 "Not Found" (a malformed token): the
  connection is broken;
- 400 "Bad Request: chat not found", 403 "Forbidden: bot is not a member of the channel
  chat" / "bot was kicked…", 400 "need administrator rights in the channel chat" /
  "not enough rights…": the connection is broken, not this post;
- 400 "Bad Request: message to delete not found": already gone, the delete is done.
  Nothing else that says "not found" means that;
- 400 "Bad Request: message can't be deleted" (older than 48 hours, or no right to it),
  "message can't be edited": too late, a correction goes out instead;
- 400 "message is not modified": the message already says it, the edit is done;
- 429 with ``parameters.retry_after``, and the album's 400 "failed to send message #1
  with the error message "Too Many Requests: retry after N"": a rate limit. When the
  album failed at a later photo (#2…) the first ones are out: unconfirmed.

Formatting (the Bot API's "Formatting options", quoted in full by the clients' docs:
teloxide's and grammY's ParseMode, python-telegram-bot's constants): parse_mode=HTML takes
<b>/<strong>, <i>/<em>, <u>, <s>, <a href="…">, <code>, <pre>, <blockquote> (Bot API 7.0
and later) and a few more; only the named entities &lt; &gt; &amp; &quot; and numeric ones
are known; every <, > and & that is not a tag or an entity must be escaped, or the whole
request is refused with 400 "Bad Request: can't parse entities: …". Sent here: <b>, <i>,
<a href> (http and https only) and <blockquote>, the text escaped (and " in href). The
limits count "characters after entities parsing": the visible text, not the tags.
Video and documents: sendVideo (multipart field ``video``, with ``caption`` and
``supports_streaming``; "Telegram clients support MPEG4 videos (other formats may be sent as
Document)") and sendDocument (field ``document``, with ``caption``): "Bots can currently
send files of any type of up to 50 MB in size" (the Bot API's sendDocument and sendVideo;
photos are 10 MB). A larger upload is refused before the API reads it, as HTTP 413
"Request Entity Too Large" (error_code 413): failed, never retried. A video's or a
document's caption is edited with editMessageCaption, as a photo's is.

Silent posts and pins: every send method takes ``disable_notification`` ("Sends the
message silently. Users will receive a notification with no sound."). pinChatMessage
{chat_id, message_id, disable_notification} pins a message after it went out; in a channel
the bot needs the ``can_edit_messages`` admin right for it (``can_pin_messages`` in a
group), and without it Telegram answers 400 "Bad Request: not enough rights to pin a
message" (newer servers: "not enough rights to manage pinned messages in the chat"). A
pin's own notification is always off in channels (the method's text), so only a silent
post's flag is passed on. The outbox keeps a refused pin as a note on the delivery: the
post itself went out, and it is never sent again to be pinned.

Limits (the FAQ, https://core.telegram.org/bots/faq): about 30 messages a second per
bot, 20 a minute into one group, and no more than one a second into one chat; each photo
of an album is a message. Texts up to 4096 and captions up to 1024 characters after
entities are parsed, counted here in UTF-16 code units as the entities' offsets are.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

from ._common import (
    BotAnswer,
    BotApiAdapter,
    attachment_file,
    message_ids,
    no_message_id,
    photo_file,
)
from .base import PIN_AFTER, Message, Outcome, Part, PartKind, Platform, Result, SentPart

PLATFORM = Platform(
    kind="telegram",
    default_base_url="https://api.telegram.org",
    text_limit=4096,
    caption_limit=1024,
    albums=True,
    min_album=2,
    max_album=10,
    can_edit=True,
    can_edit_caption=True,
    can_delete=True,
    delete_window=timedelta(hours=48),
    per_bot_per_second=30,
    per_chat_per_minute=20,
    per_chat_gap=1.0,
    counting="utf16",
    post_url_format="https://t.me/{handle}/{id}",
    local_server="hamafza_fakes.telegram.FakeTelegram",
    chat_id_pattern=r"@[A-Za-z][A-Za-z0-9_]{3,31}|-?\d{5,}",
    chat_id_hint="شناسه کانال تلگرام یا نام عمومی آن با «@» است (مانند @behzisti_sb) یا شماره‌ای مانند -1001234567890.",
    videos=True,
    documents=True,
    max_file_bytes=50 * 1024 * 1024,  # "files of any type of up to 50 MB"
    silent=True,
    pin=PIN_AFTER,
    unconfirmed=(
        "whether the 20-a-minute limit for groups applies to channels (taken to apply)",
        "whether the length limits count UTF-16 code units (the safe reading, taken)",
        'the exact wording after "can\'t parse entities:" (no client matches on it)',
    ),
    formatting="telegram_html",
)

# A 400 or 403 whose description says the bot cannot reach the chat: the connection is
# broken (a wrong chat id, a bot removed or without the right to post), not this post.
CANNOT_REACH = (
    "chat not found",
    "bot was kicked",
    "bot is not a member",
    "not enough rights",
    "need administrator rights",
    "have no rights",
    "bot was blocked",
    "chat_id is empty",
)
_ALBUM_RATE = re.compile(r"failed to send message #(\d+).*retry after (\d+)", re.IGNORECASE)


def classify(answer: BotAnswer, method: str) -> Result:
    """A failed Telegram answer as an outcome; SENT for the refusals that mean the
    operation is in fact done (already deleted, already says it)."""
    error = answer.text
    album = _ALBUM_RATE.search(answer.description)
    if album:
        if int(album.group(1)) > 1:
            return Result(
                Outcome.UNCONFIRMED,
                error=f"the album was cut short by a rate limit after photo {album.group(1)}: "
                f"its first photos are on the channel. {error}",
            )
        return Result(Outcome.RETRY, retry_after=float(album.group(2)), error=error)
    if answer.code == 413 or answer.status == 413:
        return Result(
            Outcome.FAILED,
            error=f"the file is larger than the platform lets a bot upload: {error}",
        )
    if answer.code == 429 or answer.status == 429:
        return Result(Outcome.RETRY, retry_after=answer.retry_after, error=error)
    if answer.code >= 500 or answer.status >= 500:
        return Result(Outcome.RETRY, retry_after=answer.retry_after, error=error)
    if method == "deleteMessage" and answer.has("message to delete not found"):
        return Result(Outcome.SENT, error=error)  # gone already (deleted by hand, a retry)
    if answer.has("message can't be deleted", "message can't be edited"):
        return Result(Outcome.TOO_LATE, error=error)
    if method.startswith("edit") and answer.has("message is not modified"):
        return Result(Outcome.SENT, error=error)
    if answer.code in (401, 403, 404) or answer.status in (401, 403, 404):
        return Result(Outcome.CREDENTIALS, error=error)
    if answer.has(*CANNOT_REACH):
        return Result(Outcome.CREDENTIALS, error=error)
    return Result(Outcome.FAILED, error=error)


class TelegramAdapter(BotApiAdapter):
    platform = PLATFORM

    def _url(self, method: str) -> str:
        return f"{self.base_url}/bot{self.token}/{method}"

    def classify(self, answer: BotAnswer, method: str) -> Result:
        return classify(answer, method)

    def _ok(self, method: str, **kwargs) -> Result:
        """Call and read the outcome only (edits, deletes)."""
        failure, _result = self._call(method, **kwargs)
        return failure or Result(Outcome.SENT)

    # -- sending -----------------------------------------------------------------------
    @staticmethod
    def _formatted(fields: dict, message: Message) -> dict:
        """`fields` with the parse mode the message's text was rendered for: HTML on
        Telegram (formatting.py escapes it strictly); none on Bale, whose Markdown is
        read without one."""
        return {**fields, "parse_mode": message.parse_mode} if message.parse_mode else fields

    def _quiet(self, message: Message) -> dict:
        """The flag that sends a post without a notification sound, where it is wanted."""
        return {"disable_notification": "true"} if message.silent and self.platform.silent else {}

    def _send(self, part: Part, message: Message) -> Result:
        chat = {"chat_id": self.chat_id, **self._quiet(message)}
        if part.kind in (PartKind.VIDEO, PartKind.DOCUMENT):
            failure, result = self._send_attachment(part, message, chat)
        elif part.kind == PartKind.TEXT:
            failure, result = self._call(
                "sendMessage", json_body=self._formatted({**chat, "text": part.text}, message)
            )
        elif part.kind == PartKind.PHOTO:
            form = self._formatted({**chat, "caption": part.text}, message) if part.text else chat
            failure, result = self._call(
                "sendPhoto", form=form, files={"photo": photo_file(message, part.photos[0])}
            )
        else:
            media: list[dict] = [
                {"type": "photo", "media": f"attach://photo{i}"} for i in part.photos
            ]
            if part.text:  # the album's caption is its first photo's
                media[0] = self._formatted({**media[0], "caption": part.text}, message)
            failure, result = self._call(
                "sendMediaGroup",
                form={**chat, "media": json.dumps(media, ensure_ascii=False)},
                files={f"photo{i}": photo_file(message, i) for i in part.photos},
            )
        if failure is not None:
            return failure
        ids = message_ids(result)
        if not ids:
            return no_message_id(self.platform.kind)
        return Result(Outcome.SENT, remote_id=",".join(ids), remote_url=self.post_url(ids[0]))

    def _send_attachment(self, part: Part, message: Message, chat: dict):
        """sendVideo or sendDocument, the post's caption with it when it carries one."""
        form = self._formatted({**chat, "caption": part.text}, message) if part.text else dict(chat)
        if part.kind == PartKind.VIDEO:
            form["supports_streaming"] = "true"
            return self._call("sendVideo", form=form, files={"video": attachment_file(message)})
        return self._call("sendDocument", form=form, files={"document": attachment_file(message)})

    def pin_message(self, message_id: str, message: Message) -> Result:
        """pinChatMessage; silent when the post is (no "pinned" notification either)."""
        if not self.token:
            return Result(Outcome.CREDENTIALS, error="no readable token")
        body = {"chat_id": self.chat_id, "message_id": int(message_id)}
        if message.silent:
            body["disable_notification"] = True
        return self._ok("pinChatMessage", json_body=body)

    # -- edit and delete ---------------------------------------------------------------
    def _edit(self, sent: list[SentPart], message: Message) -> Result:
        where, message_id, text = self.text_holder(sent, message)
        if not where:
            return Result(
                Outcome.FAILED,
                error="the new text is longer than a caption and the post has no text "
                "message to edit; send a correction instead",
            )
        target = {"chat_id": self.chat_id, "message_id": int(message_id)}
        if where == "text":
            result = self._ok(
                "editMessageText", json_body=self._formatted({**target, "text": text}, message)
            )
            layout_known = any(p.kind for p in sent)
            if layout_known or "no text in the message" not in result.error.lower():
                return self._edited(result, sent)
            # A delivery from before layouts were kept: its text was a caption.
            first = {"chat_id": self.chat_id, "message_id": int(sent[0].ids[0])}
            if message.length(self.platform) > self.platform.caption_limit:
                return Result(
                    Outcome.FAILED,
                    error="the new text is longer than a caption; send a correction instead",
                )
            caption = self._formatted({**first, "caption": text}, message)
            return self._edited(self._ok("editMessageCaption", json_body=caption), sent)
        caption = self._formatted({**target, "caption": text}, message)
        return self._edited(self._ok("editMessageCaption", json_body=caption), sent)

    def _edited(self, result: Result, sent: list[SentPart]) -> Result:
        if result.outcome != Outcome.SENT:
            return result
        ids = [i for p in sent for i in p.ids]
        return Result(Outcome.SENT, remote_id=",".join(ids), remote_url=self.post_url(ids[0]))

    def _delete_one(self, message_id: str) -> Result:
        return self._ok(
            "deleteMessage", json_body={"chat_id": self.chat_id, "message_id": int(message_id)}
        )

    # -- audience and the connection check ---------------------------------------------
    member_count_methods = ("getChatMemberCount",)

    def member_count(self) -> int | None:
        """The channel's subscribers (the bot must be in the channel)."""
        for method in self.member_count_methods:
            failure, result = self._call(
                method, json_body={"chat_id": self.chat_id}, side_effect_free=True
            )
            if failure is None and isinstance(result, int):
                return result
        return None

    def _check(self) -> str:
        failure, me = self._call("getMe", json_body={}, side_effect_free=True)
        if failure is not None:
            return check_failure(failure, "getMe")
        bot_id = me.get("id") if isinstance(me, dict) else None
        if bot_id is None:
            return "پیام‌رسان به پرسش «این ربات کیست؟» پاسخ روشنی نداد؛ دوباره بیازمایید."
        failure, member = self._call(
            "getChatMember",
            json_body={"chat_id": self.chat_id, "user_id": bot_id},
            side_effect_free=True,
        )
        if failure is not None:
            return check_failure(failure, "getChatMember")
        return admin_problem(member if isinstance(member, dict) else {})


def admin_problem(member: dict) -> str:
    """ "" when a ChatMember says the bot may post in the channel; else why not."""
    status = member.get("status")
    if status == "creator":
        return ""
    if status != "administrator":
        return "ربات مدیر این کانال نیست؛ آن را مدیر کانال کنید و دوباره وصل کنید."
    if member.get("can_post_messages") is False:
        return "ربات مدیر کانال است اما اجازه ارسال پیام ندارد؛ این اجازه را به آن بدهید."
    return ""


def check_failure(failure: Result, method: str) -> str:
    """The Persian reason a connection check failed."""
    if failure.outcome == Outcome.CREDENTIALS and method == "getMe":
        return "توکن ربات درست نیست یا باطل شده است؛ توکن را از سازنده ربات دوباره بگیرید."
    if failure.outcome == Outcome.CREDENTIALS:
        return (
            "ربات به این کانال دسترسی ندارد: شناسه کانال را بررسی کنید و ربات را مدیر کانال کنید."
        )
    if failure.outcome in (Outcome.RETRY, Outcome.UNCONFIRMED):
        return "پیام‌رسان اکنون در دسترس نیست؛ چند دقیقه بعد دوباره بیازمایید."
    return "پیام‌رسان اتصال را نپذیرفت: " + failure.error[:200]
