"""What `/healthz` and `/healthz/workers` report, read within a deadline.

A locked SQLite file makes a query wait out the 20 s busy timeout, and a PostgreSQL behind a
dead network waits for TCP: a health check that waits with them answers too late for the
proxy that asked. The probe runs in a thread of its own and the answer is given after at
most DEADLINE seconds. Only one probe runs at a time in a process, so a stuck database does
not pile up threads: a check that comes while one runs waits for that one's answer.
"""

import threading
from contextlib import suppress

from django.db import connection

from . import workers
from .tasks import queue_state

DEADLINE = 1.5  # seconds

_lock = threading.Lock()
_running: tuple[threading.Thread, dict] | None = None  # the probe in flight and its answer


def _probe(result: dict) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        # The status is the database's alone: said as soon as it answers. The queue and
        # the workers are extras, added when (and if) they are read in time.
        result["database"] = {"ok": True, "vendor": connection.vendor}
        result["tasks"] = queue_state()
        result["workers"] = workers.workers_state()
    except Exception as error:  # any failure means not ready; say which
        result.setdefault("database", {"ok": False, "error": error.__class__.__name__})
    finally:
        with suppress(Exception):
            connection.close()


def check(deadline: float = DEADLINE) -> dict:
    """The database's state (and, when read in time, the queue's and the workers'); a
    database that does not answer within `deadline` is reported as busy. A check that
    comes while a probe is running waits for that probe rather than starting another."""
    global _running
    with _lock:
        if _running is None or not _running[0].is_alive():
            result: dict = {}
            probe = threading.Thread(target=_probe, args=(result,), daemon=True)
            probe.start()
            _running = (probe, result)
        probe, result = _running
    probe.join(deadline)
    if "database" not in result:
        return {"database": {"ok": False, "error": "busy"}}
    return dict(result)


def workers_missing(state: dict) -> list[str]:
    """The registered worker kinds with no live worker."""
    return [kind for kind, seen in state.items() if not seen["alive"]]
