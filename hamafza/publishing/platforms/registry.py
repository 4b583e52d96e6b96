"""Which platform module speaks for which kind of channel. Adding a platform is its
module (descriptor and adapter, see docs/adding-a-channel-adapter.md) and one line here.

`website` and `rss` have no remote adapter: the outbox publishes them in-process.
"""

from __future__ import annotations

from datetime import datetime

from ..tokens import decrypt_token
from .bale import BaleAdapter
from .base import Adapter, Platform
from .eitaa import EitaaAdapter
from .instagram import InstagramAdapter
from .rubika import RubikaAdapter
from .telegram import TelegramAdapter

ADAPTERS: dict[str, type[Adapter]] = {
    adapter.platform.kind: adapter
    for adapter in (
        TelegramAdapter,
        BaleAdapter,
        EitaaAdapter,
        RubikaAdapter,
        InstagramAdapter,
    )
}

#: Kinds the outbox handles itself, with no platform API behind them.
IN_PROCESS_KINDS = frozenset({"website", "rss"})


class NoAdapter(LookupError):
    """The channel's kind has no remote adapter (website, rss, or not supported)."""


def platform_for(kind: str) -> Platform | None:
    """The platform's descriptor; None for kinds with no remote adapter."""
    adapter = ADAPTERS.get(kind)
    return adapter.platform if adapter else None


def delete_deadline(kind: str, sent_at: datetime | None) -> tuple[bool, datetime | None]:
    """Whether a message sent at `sent_at` into a channel of this kind may be deleted at
    all, and until when (None: no deadline). Ours (the site, the feeds) always."""
    if kind in IN_PROCESS_KINDS:
        return True, None
    platform = platform_for(kind)
    if platform is None or not platform.can_delete:
        return False, None
    if platform.delete_window is None or sent_at is None:
        return True, None
    return True, sent_at + platform.delete_window


def can_delete_now(kind: str, sent_at: datetime | None, now: datetime) -> bool:
    allowed, until = delete_deadline(kind, sent_at)
    return allowed and (until is None or now < until)


def adapter_for(channel, connection, *, timeout: float = 15.0, connect_timeout: float = 5.0):
    """The adapter for `channel` through its `connection` (a ChannelConnection). The
    token is decrypted here and lives only in the adapter; an unreadable one gives an
    adapter that answers CREDENTIALS without calling anyone."""
    return build_adapter(
        channel.kind,
        base_url=connection.base_url or "",
        token=decrypt_token(connection.token_encrypted),
        chat_id=connection.chat_id or channel.handle,
        public_handle=channel.handle if channel.handle.startswith("@") else "",
        timeout=timeout,
        connect_timeout=connect_timeout,
    )


def build_adapter(kind: str, **kwargs) -> Adapter:
    adapter = ADAPTERS.get(kind)
    if adapter is None:
        raise NoAdapter(kind)
    return adapter(**kwargs)
