"""Counters that every process of the deployment shares, for the limits at the doors
(tracking codes, one-time codes, reminders, password resets, wrong passwords per address).

A counter counts hits on a key over a sliding window of `window` seconds, estimated from
two fixed windows (this one, and the last one weighted by how much of it still lies in
the sliding window), so twice the limit never fits across a window's edge. The count is
taken and raised in one atomic step where every process sees it:

- with Redis as the cache (`REDIS_URL`), `INCR` and `EXPIRE` in one transaction, in the
  cache's own Redis database;
- on the embedded default, one `INSERT … ON CONFLICT DO UPDATE … RETURNING` on the
  database (SQLite ≥ 3.35 and PostgreSQL both speak it). Django's database and file
  caches are not enough: their `incr` is a get then a set, which concurrent processes
  race, and the local-memory cache is one per process (two web processes, twice the
  limit).

Password doors are throttled by django-axes, whose attempts live in the database too.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one hit on `key`; True when this hit is over `limit` in the window."""
    return count(key, window=window) > limit


def count(key: str, *, window: int) -> int:
    """Count one hit on `key`; how many the sliding window holds, this one included."""
    current, previous, weight = _buckets(key, window)
    store = _store()
    hits = store.incr(current, window)
    return hits + int(store.get(previous) * weight)


def peek(key: str, *, window: int) -> int:
    """How many hits the sliding window holds on `key`, without counting one."""
    current, previous, weight = _buckets(key, window)
    store = _store()
    return store.get(current) + int(store.get(previous) * weight)


def reset(key: str, *, window: int) -> None:
    """Forget the hits on `key` (after a success that should not count)."""
    current, previous, _weight = _buckets(key, window)
    _store().delete(current, previous)


def _buckets(key: str, window: int) -> tuple[str, str, float]:
    now = time.time()
    index = int(now // window)
    into = (now - index * window) / window  # how far into this fixed window we are
    return f"rate:{key}:{window}:{index}", f"rate:{key}:{window}:{index - 1}", 1.0 - into


def _store():
    location = settings.CACHES["default"].get("LOCATION", "")
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        return _RedisStore(location if isinstance(location, str) else location[0])
    return _DatabaseStore()


class _RedisStore:
    def __init__(self, url: str):
        self.client = _redis(url)

    def incr(self, name: str, window: int) -> int:
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(name)
        pipe.expire(name, 2 * window + 1)  # the next window still weighs this one
        hits, _ = pipe.execute()
        return int(hits)

    def get(self, name: str) -> int:
        return int(self.client.get(name) or 0)

    def delete(self, *names: str) -> None:
        self.client.delete(*names)


@cache
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url)


class _DatabaseStore:
    def incr(self, name: str, window: int) -> int:
        from .models import RateCounter

        q = connection.ops.quote_name
        table, key, hits = q(RateCounter._meta.db_table), q("key"), q("hits")
        expires = connection.ops.adapt_datetimefield_value(
            timezone.now() + timedelta(seconds=2 * window + 1)
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({key}, {hits}, {q('expires_at')}) VALUES (%s, 1, %s) "
                f"ON CONFLICT ({key}) DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {hits}",
                [name, expires],
            )
            value = cursor.fetchone()[0]
        if random.random() < 0.01:  # now and then, sweep the windows that have passed
            RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
        return value

    def get(self, name: str) -> int:
        from .models import RateCounter

        return RateCounter.objects.filter(key=name).values_list("hits", flat=True).first() or 0

    def delete(self, *names: str) -> None:
        from .models import RateCounter

        RateCounter.objects.filter(key__in=names).delete()
