"""Which adapter speaks for which kind of channel, and the limits the composer checks.

`website` and `rss` have no remote adapter: the outbox publishes them in-process.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..tokens import decrypt_token
from .base import Adapter
from .eitaa import EitaaAdapter
from .rubika import RubikaAdapter
from .telegram import BaleAdapter, TelegramAdapter

ADAPTERS: dict[str, type[Adapter]] = {
    "telegram": TelegramAdapter,
    "bale": BaleAdapter,
    "eitaa": EitaaAdapter,
    "rubika": RubikaAdapter,
}

#: Kinds the outbox handles itself, with no platform API behind them.
IN_PROCESS_KINDS = frozenset({"website", "rss"})


class NoAdapter(LookupError):
    """The channel's kind has no remote adapter (website, rss, or not supported)."""


@dataclass(frozen=True)
class PlatformLimits:
    text_limit: int
    caption_limit: int
    supports_album: bool
    min_album: int
    max_album: int
    supports_edit: bool
    supports_delete: bool


def limits_for(kind: str) -> PlatformLimits | None:
    """The platform's limits for the composer; None for kinds with no such limits."""
    adapter = ADAPTERS.get(kind)
    if adapter is None:
        return None
    return PlatformLimits(
        text_limit=adapter.text_limit,
        caption_limit=adapter.caption_limit,
        supports_album=adapter.supports_album,
        min_album=adapter.min_album,
        max_album=adapter.max_album,
        supports_edit=adapter.supports_edit,
        supports_delete=adapter.supports_delete,
    )


def adapter_for(channel, connection, *, timeout: float = 15.0, connect_timeout: float = 5.0):
    """The adapter for `channel` through its `connection` (a ChannelConnection). The
    token is decrypted here and lives only in the adapter; an unreadable one gives an
    adapter that answers CREDENTIALS without calling anyone."""
    adapter = ADAPTERS.get(channel.kind)
    if adapter is None:
        raise NoAdapter(channel.kind)
    handle = channel.handle if channel.handle.startswith("@") else ""
    return adapter(
        base_url=connection.base_url or "",
        token=decrypt_token(connection.token_encrypted),
        chat_id=connection.chat_id or channel.handle,
        timeout=timeout,
        connect_timeout=connect_timeout,
        public_handle=handle,
    )
