"""Bale, through its bot API at https://tapi.bale.ai/bot<token>/METHOD: Telegram's methods
and answer shape (https://docs.bale.ai), with errors of its own.

Confirmed from the documentation and the clients people use (python-bale-bot's
``bale/error.py`` and ``bale/request/http.py``, Balethon's ``network/connection.py`` and
``errors/rpc_errors.py``):
- sendMessage, sendPhoto, sendMediaGroup, editMessageText, editMessageCaption,
  deleteMessage, getMe, getChat, getChatMember, getChatAdministrators;
- failures are ``{"ok": false, "error_code": N, "description": "..."}``;
- "Bad Request: Token not found" (older: "Token not found") and "Unauthorized": a bad
  token; "no such group or user": a wrong chat id, or a bot that is not a member or admin
  of the channel; "permission_denied" and "Forbidden: …": no right to do it. All three
  break the connection;
- "bot limit exceed" is a rate limit whatever the HTTP status (clients retry it under
  400 as well as 429), and so are 429 and 420 ("Flood"). Bale gives no retry_after:
  every sender to that bot is held back for BOT_LIMIT_PAUSE seconds.

Formatting: Bale takes no parse_mode. The clients and tools people use with it say every
text is read as Markdown: ``*bold*``, ``_italic_``, ``[text](url)`` (a Bale MCP server's
send-message tool: "Bale formats all text as Markdown (bold, italic)"; a shop bot's Bale
transport converting its HTML to exactly these three). docs.bale.ai itself could not be
read here, so the syntax, whether a backslash escapes a marker, whether quotes exist and
how the limits count the markers are not confirmed: bold, italic and links go as Markdown,
a quote goes as plain text in «», and the limits count the text with its markers (the
safe reading). Ordinary text is sent as typed: a stray * or _ may show formatted.
Video and documents: sendVideo and sendDocument, multipart, with a caption, as on
Telegram (docs.bale.ai's method list; python-bale-bot's send_video and send_document).
Pinning: Telegram's pinChatMessage {chat_id, message_id} is called after the post went
out. That Bale's bots have it is NOT confirmed (no client found calls it); a refusal is
only a note on the delivery, so the worst case is a note beside each pinned post. Bale's
sendMessage and its file methods document no ``disable_notification``: no silent posts
here (the option is not offered for Bale channels).

Not confirmed, and taken from Telegram: the length limits (4096 / 1024, counted the same
way), albums of 2-10, the rate limits, the 48-hour delete window, the "message to delete
not found" and "message can't be deleted" descriptions. The member count's method name:
the clients disagree (getChatMemberCount, getChatMembersCount), so both are asked.
"""

from __future__ import annotations

from dataclasses import replace

from ._common import BotAnswer
from .base import Outcome, Result
from .telegram import PLATFORM as TELEGRAM
from .telegram import TelegramAdapter
from .telegram import classify as classify_telegram

# Bale states none of its limits: Telegram's are taken, and what differs is said here.
PLATFORM = replace(
    TELEGRAM,
    kind="bale",
    default_base_url="https://tapi.bale.ai",
    post_url_format="https://ble.ir/{handle}/{id}",
    local_server="hamafza_fakes.telegram.FakeBale",
    chat_id_pattern=r"@[A-Za-z][A-Za-z0-9_]{3,31}|-?\d{3,}",
    chat_id_hint="شناسه کانال بله یا نام عمومی آن با «@» است (مانند @behzisti_sb) یا شماره کانال.",
    unconfirmed=(
        "the length limits, albums of 2-10 and the rate limits (Telegram's)",
        "the 48-hour delete window and the delete and edit descriptions (Telegram's)",
        "Markdown (*bold*, _italic_, [text](url)) read in every text, without a parse_mode;"
        " its escapes, quotes, and whether the markers count towards the limits",
        "the upload limit for bots (Telegram's 50 MB) and the 413 answer to a larger file",
        "pinChatMessage for bots, and its refusals (Telegram's method and wording taken)",
        "disable_notification (not documented: silent posts are not offered)",
    ),
    formatting="bale_markdown",
    silent=False,
)

BOT_LIMIT_PAUSE = 5.0  # seconds: "bot limit exceed" says no more
BROKEN_CONNECTION = (
    "token not found",
    "unauthorized",
    "no such group or user",
    "permission_denied",
)


def classify(answer: BotAnswer, method: str) -> Result:
    error = answer.text
    if answer.has("bot limit exceed") or answer.code in (420, 429) or answer.status == 429:
        return Result(Outcome.RETRY, retry_after=answer.retry_after or BOT_LIMIT_PAUSE, error=error)
    if answer.has(*BROKEN_CONNECTION) or answer.description.lower().startswith("forbidden"):
        return Result(Outcome.CREDENTIALS, error=error)
    if answer.has("internal server error"):
        return Result(Outcome.RETRY, error=error)
    return classify_telegram(answer, method)


class BaleAdapter(TelegramAdapter):
    platform = PLATFORM
    member_count_methods = ("getChatMemberCount", "getChatMembersCount")

    def classify(self, answer: BotAnswer, method: str) -> Result:
        return classify(answer, method)
