"""What `/healthz` and `/healthz/workers` report, read within a deadline.

A locked SQLite file makes a query wait out the 20 s busy timeout, and a PostgreSQL behind a
dead network waits for TCP: a health check that waits with them answers too late for the
proxy that asked. The probe runs in a thread of its own and the answer is given after at
most DEADLINE seconds. Only one probe runs at a time in a process, so a stuck database does
not pile up threads: while one is stuck, later checks are told so at once.
"""

import threading
from contextlib import suppress

from django.db import connection

from . import workers
from .tasks import queue_state

DEADLINE = 1.5  # seconds

_lock = threading.Lock()
_in_flight: threading.Thread | None = None
_result: dict = {}


def _probe(result: dict) -> None:
    found: dict = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        found["database"] = {"ok": True, "vendor": connection.vendor}
        found["tasks"] = queue_state()
        found["workers"] = workers.workers_state()
    except Exception as error:  # any failure means not ready; say which
        found["database"] = {"ok": False, "error": error.__class__.__name__}
    finally:
        result.update(found)  # all at once: the caller never reads half an answer
        with suppress(Exception):
            connection.close()


def check(deadline: float = DEADLINE) -> dict:
    """The database's state (and, when it answers, the queue's and the workers'); a
    database that does not answer within `deadline` is reported as busy."""
    global _in_flight
    with _lock:
        if _in_flight is not None and _in_flight.is_alive():
            return {"database": {"ok": False, "error": "busy"}}
        result: dict = {}
        probe = _in_flight = threading.Thread(target=_probe, args=(result,), daemon=True)
        probe.start()
    probe.join(deadline)
    if "database" not in result:
        return {"database": {"ok": False, "error": "busy"}}
    return result


def workers_missing(state: dict) -> list[str]:
    """The registered worker kinds with no live worker."""
    return [kind for kind, seen in state.items() if not seen["alive"]]
