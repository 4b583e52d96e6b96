"""The Telegram Bot API client, which also serves Bale (its bot API takes the same
methods and answers in the same shape at https://tapi.bale.ai/bot<token>/METHOD).

Written to https://core.telegram.org/bots/api: sendMessage, sendPhoto, sendMediaGroup
(2-10 InputMediaPhoto, files attached as ``attach://<name>`` in one multipart body),
editMessageText, editMessageCaption, deleteMessage. Every answer is
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N, "description": "...",
"parameters": {"retry_after": N}}``.

`remote_id` is every message id the post became, joined by commas, the first being the
one people see: one id for a text or a photo, one per photo for an album, and the id of
the follow-up text last when the text was too long to be a caption.
"""

from __future__ import annotations

import json
from typing import Any

from ._common import BotApiAdapter, photo_file, split_remote_id, utf16_len
from .base import Message, Outcome, Result


class TelegramAdapter(BotApiAdapter):
    default_base_url = "https://api.telegram.org"
    post_url_format = "https://t.me/{handle}/{id}"
    text_limit = 4096
    caption_limit = 1024
    min_album = 2
    max_album = 10
    supports_album = True
    supports_edit = True
    # Telegram lets a bot delete a channel post within 48 hours; later it answers
    # 400 "message can't be deleted", which we report as FAILED so the outbox falls
    # back to a correction post.
    supports_delete = True

    def _url(self, method: str) -> str:
        return f"{self.base_url}/bot{self.token}/{method}"

    def _sent(self, ids: list[str]) -> Result:
        return Result(Outcome.SENT, remote_id=",".join(ids), remote_url=self.post_url(ids[0]))

    # -- publish -------------------------------------------------------------------------
    def _publish(self, message: Message) -> Result:
        photos = message.photos
        if not photos:
            text = message.text.strip()
            if not text:
                return Result(Outcome.FAILED, error="nothing to send: the text is empty")
            failure, result = self._call(
                "sendMessage", json_body={"chat_id": self.chat_id, "text": text}
            )
            return failure or self._sent_or_unconfirmed(_message_ids(result))
        if len(photos) > self.max_album:
            return Result(
                Outcome.FAILED,
                error=f"{len(photos)} photos; an album takes at most {self.max_album}",
            )
        caption, follow_up = self.split_caption(message)
        if len(photos) == 1:
            form = {"chat_id": self.chat_id}
            if caption:
                form["caption"] = caption
            failure, result = self._call(
                "sendPhoto", form=form, files={"photo": photo_file(message, 0)}
            )
        else:
            media: list[dict] = [
                {"type": "photo", "media": f"attach://photo{i}"} for i in range(len(photos))
            ]
            if caption:
                media[0]["caption"] = caption  # the album's caption is its first photo's
            failure, result = self._call(
                "sendMediaGroup",
                form={"chat_id": self.chat_id, "media": json.dumps(media, ensure_ascii=False)},
                files={f"photo{i}": photo_file(message, i) for i in range(len(photos))},
            )
        if failure is not None:
            return failure
        ids = _message_ids(result)
        if not ids:
            return _no_id()
        if follow_up:
            failure, result = self._call(
                "sendMessage", json_body={"chat_id": self.chat_id, "text": follow_up}
            )
            follow_ids = _message_ids(result)
            if failure is not None or not follow_ids:
                # The photos are out; sending them again would post them twice. A person
                # finishes this one by hand.
                why = failure.error if failure is not None else "no message id in the answer"
                return Result(
                    Outcome.UNCONFIRMED,
                    remote_id=",".join(ids),
                    remote_url=self.post_url(ids[0]),
                    error=f"the photos went out ({','.join(ids)}) but the text after them did not: {why}",
                )
            ids += follow_ids
        return self._sent(ids)

    def _sent_or_unconfirmed(self, ids: list[str]) -> Result:
        return self._sent(ids) if ids else _no_id()

    # -- edit ----------------------------------------------------------------------------
    def _edit(self, remote_id: str, message: Message) -> Result:
        ids = split_remote_id(remote_id)
        if not ids:
            return Result(Outcome.FAILED, error="no remote message id to edit")
        photos = len(message.photos)
        if not photos:
            return self._edit_unknown_layout(ids, message.text.strip())
        has_follow_up = len(ids) > photos
        if has_follow_up:
            caption, follow_up = message.caption.strip(), message.text.strip()
        else:
            caption, follow_up = self.split_caption(message)
            if follow_up:
                return Result(
                    Outcome.FAILED,
                    error="the new text is longer than a caption and the post has no text "
                    "message to edit; send a correction instead",
                )
        failure, _ = self._call(
            "editMessageCaption",
            json_body={"chat_id": self.chat_id, "message_id": int(ids[0]), "caption": caption},
        )
        if failure is not None and not _not_modified(failure):
            return failure
        if has_follow_up:
            failure = self._edit_text(ids[photos], follow_up)
            if failure is not None:
                return failure
        return self._sent(ids)

    def _edit_unknown_layout(self, ids: list[str], text: str) -> Result:
        """An edit that does not say which photos the post had (the outbox sends the new
        text alone): the text lives in the last message, or else in the first one's
        caption."""
        failure = self._edit_text(ids[-1], text)
        if failure is None:
            return self._sent(ids)
        if "no text in the message" not in failure.error.lower():
            return failure
        if utf16_len(text) > self.caption_limit:
            return Result(
                Outcome.FAILED,
                error="the new text is longer than a caption; send a correction instead",
            )
        failure, _ = self._call(
            "editMessageCaption",
            json_body={"chat_id": self.chat_id, "message_id": int(ids[0]), "caption": text},
        )
        if failure is not None and not _not_modified(failure):
            return failure
        return self._sent(ids)

    def _edit_text(self, message_id: str, text: str) -> Result | None:
        failure, _ = self._call(
            "editMessageText",
            json_body={"chat_id": self.chat_id, "message_id": int(message_id), "text": text},
        )
        if failure is not None and not _not_modified(failure):
            return failure
        return None

    # -- delete --------------------------------------------------------------------------
    def _delete(self, remote_id: str) -> Result:
        ids = split_remote_id(remote_id)
        if not ids:
            return Result(Outcome.FAILED, error="no remote message id to delete")
        for message_id in ids:
            failure, _ = self._call(
                "deleteMessage", json_body={"chat_id": self.chat_id, "message_id": int(message_id)}
            )
            # Already gone (a retry after a lost answer, or deleted by hand) is done.
            if failure is not None and "not found" not in failure.error.lower():
                return failure
        return Result(Outcome.SENT, remote_id=remote_id)

    # -- audience ------------------------------------------------------------------------
    def member_count(self) -> int | None:
        """getChatMemberCount: the channel's subscribers (the bot must be in the channel)."""
        failure, result = self._call(
            "getChatMemberCount", json_body={"chat_id": self.chat_id}, side_effect_free=True
        )
        if failure is not None or not isinstance(result, int):
            return None
        return result


class BaleAdapter(TelegramAdapter):
    """Bale's bot API is Telegram's, at another address. Its public channel posts open at
    ble.ir/<channel>/<id>. Its limits are taken to be Telegram's (4096 / 1024, albums of
    2-10): Bale's documentation does not state them."""

    default_base_url = "https://tapi.bale.ai"
    post_url_format = "https://ble.ir/{handle}/{id}"


def _message_ids(result: Any) -> list[str]:
    items = result if isinstance(result, list) else [result]
    ids = []
    for item in items:
        if isinstance(item, dict) and item.get("message_id") is not None:
            ids.append(str(item["message_id"]))
    return ids


def _no_id() -> Result:
    return Result(
        Outcome.UNCONFIRMED, error="the platform said ok but gave no message id; check the channel"
    )


def _not_modified(failure: Result) -> bool:
    # Telegram refuses an edit that changes nothing; the message already says it.
    return failure.outcome == Outcome.FAILED and "not modified" in failure.error.lower()
