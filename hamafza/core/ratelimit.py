"""Counters that every process of the deployment shares, for the limits at the doors
(tracking codes, one-time codes, reminders, password resets).

A counter counts hits on a key in fixed windows of `window` seconds. The count is taken
and raised in one atomic step where every process sees it:

- with Redis (`REDIS_URL`), `INCR` and `EXPIRE` in one transaction;
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
    """Count one hit on `key`; True when this hit is over `limit` in its window."""
    return count(key, window=window) > limit


def count(key: str, *, window: int) -> int:
    """Count one hit on `key` and return how many this window has had, this one included."""
    name = _name(key, window)
    if settings.REDIS_URL:
        return _redis_count(name, window)
    return _database_count(name, window)


def peek(key: str, *, window: int) -> int:
    """How many hits this window has had on `key`, without counting one."""
    name = _name(key, window)
    if settings.REDIS_URL:
        return int(_redis().get(name) or 0)
    from .models import RateCounter

    return RateCounter.objects.filter(key=name).values_list("hits", flat=True).first() or 0


def _name(key: str, window: int) -> str:
    return f"rate:{key}:{window}:{int(time.time() // window)}"


def reset(key: str, *, window: int) -> None:
    """Forget this window's hits on `key` (after a success that should not count)."""
    name = _name(key, window)
    if settings.REDIS_URL:
        _redis().delete(name)
        return
    from .models import RateCounter

    RateCounter.objects.filter(key=name).delete()


@cache
def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)



def _redis_count(name: str, window: int) -> int:
    pipe = _redis().pipeline(transaction=True)
    pipe.incr(name)
    pipe.expire(name, window + 1)
    hits, _ = pipe.execute()
    return int(hits)


def _database_count(name: str, window: int) -> int:
    from .models import RateCounter

    q = connection.ops.quote_name
    table, key, hits = q(RateCounter._meta.db_table), q("key"), q("hits")
    expires = timezone.now() + timedelta(seconds=window + 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key}, {hits}, {q('expires_at')}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({key}) DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {hits}",
            [name, expires],
        )
        hits = cursor.fetchone()[0]
    if random.random() < 0.01:  # now and then, sweep the windows that have passed
        RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return hits
