"""Shared by the outbox tests: adapters that play back scripted outcomes, and a post
approved to the agency's five channels with its messengers connected."""

import itertools
import threading
import time
from dataclasses import dataclass, field

from hamafza.publishing import services
from hamafza.publishing.models import ChannelConnection
from hamafza.publishing.platforms.base import Adapter, Outcome, Result
from hamafza.publishing.platforms.registry import platform_for
from hamafza.publishing.tokens import encrypt_token


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
        """An adapter of the channel's platform (its real descriptor) whose every request
        plays back the script: a publication's parts each ask it once."""
        script, kind = self, channel.kind

        class Scripted(Adapter):
            platform = platform_for(kind)

            def send(self, part, message):
                return script.answer(kind, "publish", self.chat_id, part.text)

            def edit(self, sent, message):
                return script.answer(kind, "edit", self.chat_id, _ids(sent))

            def delete(self, sent):
                return script.answer(kind, "delete", self.chat_id, _ids(sent))

        return Scripted(
            base_url=connection.base_url or f"https://api.{kind}.test",
            token=f"token-{channel.pk}",
            chat_id=connection.chat_id,
        )

    def ops(self, op: str = "publish") -> list[tuple[str, str, str, str]]:
        return [c for c in self.calls if c[0] == op]


CHAT_IDS = {
    "telegram": "@telegram_chat",
    "bale": "@bale_chat",
    "eitaa": "eitaa_chat",
    "rubika": "c0RubikaChat0001",
}


def connect_all(owner, channels) -> None:
    """Each messenger channel connected as channel_connect leaves it, without asking a
    platform (the adapters here are scripted; the check itself is tested against the
    local servers in test_connect.py)."""
    for kind, channel in channels.items():
        if kind in CHAT_IDS:
            connect(channel, token=f"{channel.pk}:secret-{kind}", chat_id=CHAT_IDS[kind])


def connect(channel, *, token: str, chat_id: str, base_url: str = ""):
    return ChannelConnection.objects.update_or_create(
        channel=channel,
        defaults={
            "token_encrypted": encrypt_token(token),
            "chat_id": chat_id,
            "base_url": base_url or f"https://api.{channel.kind}.test",
        },
    )[0]


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


def _ids(sent) -> str:
    return ",".join(i for part in sent for i in part.ids)
