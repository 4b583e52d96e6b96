"""Rate limits every worker shares: the next moment each bot and each channel may be sent
to, kept in RateGate rows so that a burst from many workers never trips a platform's
limits, and a platform's `retry_after` holds back everyone, not only the worker that got it.

Each send takes a *slot*: one moment that satisfies every gate it passes (its bot and its
channel). Taking a slot moves those gates one interval on, so the next sender gets the next
slot. The spacing is even (1/30 s per bot, 3 s per channel for Telegram) rather than a
burst-then-wait window, which keeps every sliding window under the platform's limit.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import RateGate

# Documented limits: Telegram (and Bale, which copies its Bot API) allow about 30 messages
# a second per bot and 20 a minute per channel. Eitaa and Rubika publish no figures; the
# same limits are a safe guess for them.
PER_BOT_PER_SECOND = {"telegram": 30, "bale": 30, "eitaa": 30, "rubika": 30}
PER_CHANNEL_PER_MINUTE = {"telegram": 20, "bale": 20, "eitaa": 20, "rubika": 20}


def safety_margin() -> float:
    """Send a little under the limit: a request handed a slot may reach the platform a few
    milliseconds late, bunching up with the next one."""
    return float(getattr(settings, "PUBLISHING_RATE_MARGIN", 0.06))


@dataclass(frozen=True)
class Gate:
    key: str
    interval: float  # seconds between two sends through this gate


@dataclass(frozen=True)
class Slot:
    ok: bool  # True: the slot at `at` is ours; False: nothing taken, try again at `at`
    at: datetime


def bot_key(kind: str, base_url: str, token: str) -> str:
    """Gates are keyed by a hash of the token, never the token itself."""
    digest = hashlib.sha256(f"{kind}|{base_url}|{token}".encode()).hexdigest()[:32]
    return f"bot:{digest}"


def gates_for(*, kind: str, base_url: str, token: str, channel_id: int) -> list[Gate]:
    margin = 1 + safety_margin()
    bot = bot_key(kind, base_url, token)
    return [
        Gate(bot, margin / PER_BOT_PER_SECOND.get(kind, 30)),
        Gate(f"{bot}:channel:{channel_id}", margin * 60 / PER_CHANNEL_PER_MINUTE.get(kind, 20)),
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


def take(gates: list[Gate], *, max_wait: float = 0.9) -> Slot:
    """Take the earliest slot all `gates` allow, if it is at most `max_wait` seconds away
    (the caller sleeps until it); otherwise take nothing and say when to come back."""
    keys = sorted(g.key for g in gates)
    with transaction.atomic():
        rows = _locked(keys)
        now = timezone.now()
        at = max([now, *(rows[k].next_at for k in keys)])
        if (at - now).total_seconds() > max_wait:
            return Slot(False, at)
        for gate in gates:
            row = rows[gate.key]
            row.next_at = at + timedelta(seconds=gate.interval)
            row.save(update_fields=["next_at"])
    return Slot(True, at)


def push(gates: list[Gate], until: datetime) -> None:
    """A platform said "wait": nobody sends through these gates before `until`."""
    keys = sorted(g.key for g in gates)
    with transaction.atomic():
        for row in _locked(keys).values():
            if row.next_at < until:
                row.next_at = until
                row.save(update_fields=["next_at"])
