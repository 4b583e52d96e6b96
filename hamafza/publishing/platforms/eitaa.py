"""Eitaa, through the Eitaayar API: https://eitaayar.ir/api/<token>/METHOD.

Confirmed from Eitaayar's page and the clients people use with it: the methods are
``getMe``, ``sendMessage`` (chat_id, text, optional title, date, disable_notification,
pin, reply_to_message_id) and ``sendFile`` (multipart: chat_id, one ``file``, optional
caption); a success is ``{"ok": true, "result": {"message_id": N, "chat": …, "date": …}}``.
There is no album, no edit and no member count; the chat id is the channel's name without
"@", or its number.

Not confirmed, and chosen as the safest reading:
- a failure: Eitaayar's clients read any of ``description``, ``error`` and ``message``,
  and a bare ``{"ok": false}`` with no reason is reported. A failure that gives a reason
  is read as Telegram's would be. A bare one is a connection problem to alert on (the
  outbox cuts every text to the limits, so the post itself is the unlikely cause), and
  getMe tells which: the token, or the channel and the bot's place in it;
- deleteMessage appears in one client only, which ignores its answer: not used, so a
  withdrawal is a notice;
- the limits (4096 / 1024, counted in characters) and the rate limits (Telegram's).
Formatting: Eitaayar's page and its clients document no parse_mode, entities or Markdown
for sendMessage or sendFile; texts go as plain text (formatting's "plain" style: markers
removed, a link as "text (url)", a quote in «»). Whether Eitaa would render any markup
sent through Eitaayar is not confirmed.
Video and documents: sendFile sends any file (there is no sendVideo): a video goes as a
file, with the caption. Both sendMessage and sendFile take ``disable_notification``
("eitaa don't send notification for users") and ``pin`` ("this message will pinned in
channel or supergroup"), as flags of the posting request itself (eitaaphplib's "other
arguments", eitaapykit's send_message/send_file pin=...). Not confirmed: the size limit
of sendFile (Telegram's 50 MB is taken), and what Eitaayar answers when the bot may post
but not pin (no client reads it; it would come back as the post's own failure).
A connection check can only ask getMe: Eitaayar cannot tell whether the bot is an admin.
"""

from __future__ import annotations

from ._common import BotAnswer, BotApiAdapter, message_ids, no_message_id, part_file
from .base import PIN_WITH, Message, Outcome, Part, PartKind, Platform, Result
from .telegram import check_failure
from .telegram import classify as classify_telegram

PLATFORM = Platform(
    kind="eitaa",
    default_base_url="https://eitaayar.ir/api",
    text_limit=4096,
    caption_limit=1024,
    albums=False,
    min_album=1,
    max_album=1,
    can_edit=False,
    can_edit_caption=False,
    can_delete=False,
    delete_window=None,
    per_bot_per_second=30,
    per_chat_per_minute=20,
    per_chat_gap=1.0,
    counting="codepoints",
    post_url_format="https://eitaa.com/{handle}/{id}",
    local_server="hamafza_fakes.eitaa.FakeEitaa",
    chat_id_pattern=r"[A-Za-z][A-Za-z0-9_]{3,31}|-?\d{3,}",
    chat_id_hint="در ایتا نام کانال را بی «@» بنویسید (مانند behzisti_sb) یا شماره کانال را.",
    unconfirmed=(
        "the failure answers (a bare {'ok': false} is read as a broken connection)",
        "the length limits and how they count, and the rate limits (Telegram's are used)",
        "any formatting (none is documented: plain text is sent)",
        "sendFile's size limit (Telegram's 50 MB taken) and a pin the bot has no right to",
    ),
    formatting="plain",
    videos=True,
    documents=True,
    max_file_bytes=50 * 1024 * 1024,
    silent=True,
    pin=PIN_WITH,
)

NO_REASON = (
    "Eitaayar refused without a reason, and no longer answers getMe with this token: a wrong "
    "or revoked token"
)
NO_RIGHTS = (
    "Eitaayar refused without a reason, though the token works: the channel's name is wrong, "
    "or the bot is not one of its admins"
)


def bare(answer: BotAnswer) -> bool:
    """Eitaayar's refusal with no reason (not a rate limit, not a server error)."""
    throttled_or_down = answer.code == 429 or answer.code >= 500 or answer.status >= 500
    return not answer.description and not throttled_or_down


class EitaaAdapter(BotApiAdapter):
    platform = PLATFORM

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Eitaayar takes a channel's name without "@"; connections made before that was
        # checked, and channels with no chat id of their own (their handle is used), have one.
        self.chat_id = self.chat_id.removeprefix("@")
        # Eitaa's public links use the channel's name, which is its chat id there.
        if not self.public_handle and not self.chat_id.lstrip("-").isdigit():
            self.public_handle = self.chat_id

    def _url(self, method: str) -> str:
        return f"{self.base_url}/{self.token}/{method}"

    def classify(self, answer: BotAnswer, method: str) -> Result:
        """A bare refusal breaks the connection; getMe tells which part of it to fix, the
        token or the bot's place in the channel."""
        if not bare(answer):
            return classify_telegram(answer, method)
        if method != "getMe":
            failure, _me = self._call("getMe", form={}, side_effect_free=True)
            if failure is None:
                return Result(Outcome.CREDENTIALS, error=f"{NO_RIGHTS} (HTTP {answer.status})")
        return Result(Outcome.CREDENTIALS, error=f"{NO_REASON} (HTTP {answer.status})")

    def _send(self, part: Part, message: Message) -> Result:
        form = {"chat_id": self.chat_id, **_flags(part, message)}
        if part.kind == PartKind.TEXT:
            failure, result = self._call("sendMessage", form={**form, "text": part.text})
        else:
            if part.text:
                form["caption"] = part.text
            failure, result = self._call(
                "sendFile", form=form, files={"file": part_file(message, part)}
            )
        if failure is not None:
            return failure
        ids = message_ids(result)
        if not ids:
            return no_message_id("Eitaayar")
        return Result(Outcome.SENT, remote_id=ids[0], remote_url=self.post_url(ids[0]))

    def _check(self) -> str:
        failure, _me = self._call("getMe", form={}, side_effect_free=True)
        return "" if failure is None else check_failure(failure, "getMe")


def _flags(part: Part, message: Message) -> dict:
    """Eitaayar's own flags of a posting request: silent, and pinned (the first part)."""
    flags = {}
    if message.silent:
        flags["disable_notification"] = "1"
    if part.pin:
        flags["pin"] = "1"
    return flags
