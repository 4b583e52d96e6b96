"""Rate limits every worker shares, kept in RateGate rows so that a burst from many
workers never trips a platform's limits, and a platform's `retry_after` holds back
everyone, not only the worker that got it.

Each request takes a *slot*: one moment that satisfies every gate it passes (its bot and
its channel), for as many messages as the request posts (an album of four is four). The
figures are the platform's (its descriptor in platforms/):

- each gate keeps the times of the messages still inside its window, and lets a request
  go when its messages fit: the bot's window is a second (30 messages on Telegram), the
  channel's a minute (20); an album's photos all count, at the moment it goes;
- the bot's gate also spaces its messages out, at most twice the average pace (1/60 s
  apart on Telegram), so that a burst never lands at one instant; no closer to the
  average than that, or the spacing rather than the window sets the pace: an album's
  four messages count at one moment and need the room (BOT_PACE_SHARE);
- the channel's gate keeps the platform's gap between two requests (a second).

Windows are kept a little longer than the platform's (`safety_margin`): a request given a
slot reaches the platform some milliseconds later, and not every request equally late.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import RateGate
from .platforms.base import Platform

# The bot's messages are spaced at this share of the average interval its limit allows.
# In a simulation of this gate, a fan-out of albums each followed by a text took 1.16×
# the time the limit requires with even spacing (1) and 1.07× at 0.5, the margin below
# included. The window still holds every second to the limit; only the moments within
# a second may draw closer.
BOT_PACE_SHARE = 0.5


def safety_margin() -> float:
    """Send a little under the limit: a request handed a slot may reach the platform a few
    milliseconds late, bunching up with the next one."""
    return float(getattr(settings, "PUBLISHING_RATE_MARGIN", 0.06))


@dataclass(frozen=True)
class Gate:
    key: str
    window: float  # at most `limit` messages in any `window` seconds
    limit: int
    gap: float = 0.0  # seconds between two requests
    interval: float = 0.0  # seconds between two messages (an album's n take n intervals)


@dataclass(frozen=True)
class Slot:
    ok: bool  # True: the slot at `at` is ours; False: nothing taken, try again at `at`
    at: datetime


def bot_key(kind: str, base_url: str, token: str) -> str:
    """Gates are keyed by a hash of the token, never the token itself."""
    digest = hashlib.sha256(f"{kind}|{base_url}|{token}".encode()).hexdigest()[:32]
    return f"bot:{digest}"


def gates_for(*, platform: Platform, base_url: str, token: str, channel_id: int) -> list[Gate]:
    margin = 1 + safety_margin()
    bot = bot_key(platform.kind, base_url, token)
    return [
        Gate(
            bot,
            window=1.0 * margin,
            limit=max(1, int(platform.per_bot_per_second)),
            interval=margin / platform.per_bot_per_second * BOT_PACE_SHARE,
        ),
        Gate(
            f"{bot}:channel:{channel_id}",
            window=60.0 * margin,
            limit=platform.per_chat_per_minute,
            gap=platform.per_chat_gap * margin,
        ),
    ]


def _locked(keys: list[str]) -> dict[str, RateGate]:
    """The gates' rows, created when missing, locked in key order (no deadlocks)."""
    rows = {
        g.key: g for g in RateGate.objects.select_for_update().filter(key__in=keys).order_by("key")
    }
    missing = [k for k in keys if k not in rows]
    if missing:
        epoch = timezone.now() - timedelta(seconds=1)
        RateGate.objects.bulk_create(
            [RateGate(key=k, next_at=epoch) for k in missing], ignore_conflicts=True
        )
        rows = {
            g.key: g
            for g in RateGate.objects.select_for_update().filter(key__in=keys).order_by("key")
        }
    return rows


def _earliest(gate: Gate, row: RateGate, now: datetime, messages: int) -> datetime:
    """The first moment `messages` more may go through this gate."""
    at = max(now, row.next_at)
    recent = sorted(t for t in row.recent if t > at.timestamp() - gate.window)
    over = len(recent) + messages - gate.limit
    if over > 0 and recent:
        # The oldest `over` messages must first leave the window.
        leaves = recent[min(over, len(recent)) - 1] + gate.window
        at = max(at, datetime.fromtimestamp(leaves, tz=now.tzinfo))
    return at


def _took(gate: Gate, row: RateGate, now: datetime, at: datetime, messages: int) -> None:
    """Record `messages` going at `at`. What is kept is pruned by `now`, not `at`: a slot
    may lie ahead (a channel's gap), and others still take slots before it."""
    if gate.gap or gate.interval:
        ahead = max(gate.gap, gate.interval * messages)
        row.next_at = max(row.next_at, at + timedelta(seconds=ahead))
    kept = [t for t in row.recent if t > now.timestamp() - gate.window]
    row.recent = sorted(kept + [at.timestamp()] * messages)


def take(gates: list[Gate], *, messages: int = 1, max_wait: float = 0.9) -> Slot:
    """Take the earliest slot all `gates` allow for `messages` messages, if it is at most
    `max_wait` seconds away (the caller sleeps until it); otherwise take nothing and say
    when to come back."""
    keys = sorted(g.key for g in gates)
    with transaction.atomic():
        rows = _locked(keys)
        now = timezone.now()
        at = max([now, *(_earliest(g, rows[g.key], now, messages) for g in gates)])
        if (at - now).total_seconds() > max_wait:
            return Slot(False, at)
        for gate in gates:
            _took(gate, rows[gate.key], now, at, messages)
        RateGate.objects.bulk_update(list(rows.values()), ["next_at", "recent"])  # one UPDATE
    return Slot(True, at)


def moved(gates: list[Gate], *, slot: datetime, actual: datetime, messages: int = 1) -> None:
    """A request handed `slot` is leaving late, at `actual`: record it there. The platform
    counts it when it arrives, and a message recorded earlier than it really went would
    leave its window too soon for the ones after it. Slots are handed out at most a
    `max_wait` ahead, so none was yet given on the strength of this one having left,
    provided it is late by less than the shortest window minus that wait (LATE_MOVE_MAX
    in the outbox); beyond that, the caller takes a new slot."""
    keys = sorted(g.key for g in gates)
    at, to = slot.timestamp(), actual.timestamp()
    with transaction.atomic():
        rows = _locked(keys)
        for gate in gates:
            row = rows[gate.key]
            recent, left = list(row.recent), messages
            for i, t in enumerate(recent):
                if left and t == at:
                    recent[i], left = to, left - 1
            row.recent = sorted(recent)
            if gate.gap or gate.interval:
                ahead = max(gate.gap, gate.interval * messages)
                row.next_at = max(row.next_at, actual + timedelta(seconds=ahead))
        RateGate.objects.bulk_update(list(rows.values()), ["next_at", "recent"])


def push(gates: list[Gate], until: datetime) -> None:
    """A platform said "wait": nobody sends through these gates before `until`."""
    keys = sorted(g.key for g in gates)
    with transaction.atomic():
        for row in _locked(keys).values():
            if row.next_at < until:
                row.next_at = until
                row.save(update_fields=["next_at"])
