"""Worker processes that outlive the database's bad moments and say that they are alive.

Both workers (`hamafza worker` for the task queue, `hamafza outbox` for the channels) wait
out a database that is locked or unreachable, with a growing pause, instead of exiting: an
approved post must not wait for someone to notice a dead process. Each worker process also
runs a `Heartbeat` thread that writes when it was last alive; `/healthz` shows those times
and `/healthz/workers` answers 503 when no worker of a kind has been seen for a minute.

Apps name their worker kinds here (`register_kind`), so core never names an app.
"""

import logging
import os
import random
import socket
import threading
import time
from contextlib import suppress
from datetime import timedelta

from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = 10.0  # seconds between two signs of life
SEEN_WITHIN = timedelta(minutes=1)  # a kind with no sign for longer has no live worker
FORGET_AFTER = timedelta(days=1)  # heartbeats of workers gone this long are deleted

# The database's own troubles: a locked SQLite file, a PostgreSQL that went away, a broken
# connection. Worth waiting out. Other database errors (a missing column before `migrate`,
# a broken constraint) are faults that waiting does not mend: the worker exits on them.
DATABASE_TROUBLE = (OperationalError, InterfaceError)

_kinds: dict[str, str] = {}


def register_kind(kind: str, label: str) -> None:
    """Declare a kind of worker the deployment needs at least one of."""
    _kinds[kind] = label


def process_worker_id(kind: str) -> str:
    """A name for this process's worker, unique across machines (at most 64 characters,
    as the task queue allows)."""
    tail = f":{os.getpid()}"
    return f"{kind}:{socket.gethostname()}"[: 64 - len(tail)] + tail


class Backoff:
    """Pauses between tries that grow from `first` to `longest`, jittered so that many
    workers do not knock on a recovering database together. A try that fails long after
    the last failure starts again from `first`."""

    def __init__(self, first: float = 1.0, longest: float = 10.0, calm_after: float = 60.0):
        self.first, self.longest, self.calm_after = first, longest, calm_after
        self._next = first
        self._last_failure = float("-inf")

    def next_pause(self) -> float:
        now = time.monotonic()
        if now - self._last_failure > self.calm_after:
            self._next = self.first
        self._last_failure = now
        pause = self._next
        self._next = min(self._next * 2, self.longest)
        return pause * random.uniform(0.8, 1.2)  # jitter, not a secret


def drop_connection() -> None:
    """Forget this thread's database connection after a failure, so the next query opens
    a fresh one instead of reusing a broken socket."""
    with suppress(Exception):
        connection.close()


def wait_after_database_trouble(error: BaseException, backoff: Backoff, who: str, stop) -> None:
    """Log the trouble once per try and sleep the backoff's pause (cut short by `stop`,
    a threading.Event, when given)."""
    drop_connection()
    pause = backoff.next_pause()
    logger.warning(
        "%s: the database did not answer (%s: %s); trying again in %.1f s",
        who,
        error.__class__.__name__,
        str(error).strip()[:200],
        pause,
    )
    if stop is None:
        time.sleep(pause)
    else:
        stop.wait(pause)


class Heartbeat(threading.Thread):
    """Writes this process's sign of life every `every` seconds until stopped, and deletes
    it on a clean stop. `working()` says whether the worker's own loop is still making
    progress: while it answers no, no beat is written, so a stuck loop is not reported
    alive. `chores` run after each beat (a sweep that must happen even while the loop is
    busy). A failed write (the database away) is logged and tried at the next beat."""

    def __init__(
        self,
        kind: str,
        worker_id: str,
        *,
        every: float = HEARTBEAT_EVERY,
        working=lambda: True,
        chores=(),
    ):
        super().__init__(name=f"heartbeat-{kind}", daemon=True)
        self.kind, self.worker_id, self.every = kind, worker_id, every
        self.working, self.chores = working, tuple(chores)
        self.started_at = timezone.now()
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            while True:
                if self.working():
                    self.beat()
                    for chore in self.chores:
                        self._guarded(chore)
                if self._stop_event.wait(self.every):
                    self._guarded(self.forget)
                    return
        finally:
            drop_connection()

    def stop(self) -> None:
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout=self.every)

    def beat(self) -> None:
        self._guarded(self._write)

    def forget(self) -> None:
        from .models import WorkerHeartbeat

        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def _write(self) -> None:
        from .models import WorkerHeartbeat

        now = timezone.now()
        close_old_connections()
        seen = WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(seen_at=now)
        if not seen:
            WorkerHeartbeat.objects.create(
                worker_id=self.worker_id,
                kind=self.kind,
                host=socket.gethostname(),
                pid=os.getpid(),
                started_at=self.started_at,
                seen_at=now,
            )
            WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()

    def _guarded(self, work) -> None:
        """Run `work`; no error of it may end the heartbeat thread."""
        try:
            work()
        except DATABASE_TROUBLE as error:
            drop_connection()
            logger.warning("heartbeat of %s: %s", self.worker_id, error)
        except Exception:
            drop_connection()
            logger.exception("heartbeat of %s", self.worker_id)


def workers_state(now=None) -> dict[str, dict]:
    """For each registered kind: when a worker of it was last seen, how long ago, and how
    many are alive now."""
    from django.db.models import Count, Max, Q

    from .models import WorkerHeartbeat

    now = now or timezone.now()
    rows = {
        row["kind"]: row
        for row in WorkerHeartbeat.objects.values("kind").annotate(
            last=Max("seen_at"), alive=Count("id", filter=Q(seen_at__gte=now - SEEN_WITHIN))
        )
    }
    state = {}
    for kind in _kinds:
        row = rows.get(kind)
        last = row["last"] if row else None
        state[kind] = {
            "last_seen": last.isoformat() if last else None,
            "seconds_ago": int((now - last).total_seconds()) if last else None,
            "alive": row["alive"] if row else 0,
        }
    return state
