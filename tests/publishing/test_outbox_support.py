"""Shared by the outbox tests: adapters that play back scripted outcomes, and a post
approved to the agency's five channels with its messengers connected."""

import itertools
import threading
import time
from dataclasses import dataclass, field

from hamafza.publishing import services
from hamafza.publishing.adapters.base import Adapter, Outcome, Result


@dataclass
class Script:
    """What each channel kind answers, in order (the last answer repeats), and every
    call received (thread-safe)."""

    answers: dict[str, list[Result]] = field(default_factory=dict)
    calls: list[tuple[str, str, str, str]] = field(default_factory=list)  # op, kind, chat, arg
    delay: float = 0.0
    raises: dict[str, Exception] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(100))

    def answer(self, kind: str, op: str, chat: str, arg: str) -> Result:
        with self.lock:
            self.calls.append((op, kind, chat, arg))
            queue = self.answers.get(kind) or []
            result = queue.pop(0) if len(queue) > 1 else (queue[0] if queue else None)
            message_id = str(next(self._ids))
        if self.delay:
            time.sleep(self.delay)
        if kind in self.raises:
            raise self.raises[kind]
        return result or Result(
            Outcome.SENT, remote_id=message_id, remote_url=f"https://t.me/{chat}/{message_id}"
        )

    def factory(self, channel, connection):
        script, kind = self, channel.kind
        edits = kind != "eitaa"

        class Scripted(Adapter):
            supports_edit = edits
            supports_delete = edits

            def publish(self, message):
                return script.answer(kind, "publish", self.chat_id, message.text)

            def edit(self, remote_id, message):
                return script.answer(kind, "edit", self.chat_id, remote_id)

            def delete(self, remote_id):
                return script.answer(kind, "delete", self.chat_id, remote_id)

        return Scripted(
            base_url=connection.base_url or f"https://api.{kind}.test",
            token=f"token-{channel.pk}",
            chat_id=connection.chat_id,
        )

    def ops(self, op: str = "publish") -> list[tuple[str, str, str, str]]:
        return [c for c in self.calls if c[0] == op]


def connect_all(owner, channels) -> None:
    for kind, channel in channels.items():
        if kind not in ("website", "rss"):
            services.channel_connect(
                actor=owner,
                channel=channel,
                token=f"{channel.pk}:secret-{kind}",
                chat_id=f"@{kind}_chat",
                base_url=f"https://api.{kind}.test",
            )


def approve(member, reviewer, agency, channels, title="برگزاری دوره خبرنویسی"):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title=title,
        lead="لید خبر",
        body="<p>متن خبر</p>",
        channels=list(channels),
    )
    services.post_submit(actor=member, post=post)
    services.post_approve(actor=reviewer, post=post)
    return post
