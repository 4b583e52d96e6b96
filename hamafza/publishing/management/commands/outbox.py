"""`hamafza outbox [--once] [--worker-id ID]`: the outbox worker. Claims due deliveries
with a lease, sends them, records the outcome, and sweeps expired leases (a worker that
died mid-send) every few seconds. Run as many as you like, on as many machines."""

import logging
import os
import signal
import socket
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from hamafza.core import workers
from hamafza.publishing import outbox
from hamafza.publishing.audience import audience_collect

logger = logging.getLogger(__name__)

SWEEP_EVERY = 5.0  # seconds
AUDIENCE_EVERY = 3600.0  # seconds between looks for channels not yet counted today
# The first look waits this long after start: a process started to clear a burst of
# posts sends them first.
AUDIENCE_FIRST_AFTER = 60.0
STALLED_AFTER = 300.0  # seconds without progress after which no heartbeat is written


class Command(BaseCommand):
    help = "ارسال صف انتشار به کانال‌ها (با اجاره، تلاش دوباره و جاروی اجاره‌های مانده)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="sweep, send what is due, exit")
        parser.add_argument("--worker-id", default="", help="name in leased_by (host:pid)")
        parser.add_argument("--batch", type=int, default=10, help="rows claimed at a time")
        parser.add_argument("--threads", type=int, default=1, help="worker threads")
        parser.add_argument("--lease", type=float, default=None, help="lease seconds")
        parser.add_argument("--poll", type=float, default=0.5, help="idle wait, seconds")

    def handle(self, *args, once, worker_id, batch, threads, lease, poll, **options) -> None:
        worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())  # finish the row in hand, then go
        names = [worker_id] if threads == 1 else [f"{worker_id}/{i}" for i in range(threads)]
        boxes = [outbox.Outbox(name, lease=lease, batch=batch) for name in names]
        # One loop per process counts audiences (the platforms are asked once, not once
        # per thread).
        loops = [
            threading.Thread(target=self.loop, args=(box, once, poll, stop, i == 0))
            for i, box in enumerate(boxes)
        ]
        # One heartbeat for the process, from its own thread: a loop may sleep on a rate
        # gate for a while and is still alive; a loop stuck for STALLED_AFTER is not.
        # A --once run is not a worker to watch.
        heartbeat = workers.Heartbeat(
            outbox.WORKER_KIND,
            workers.process_worker_id(outbox.WORKER_KIND),
            working=lambda: any(
                time.monotonic() - box.last_progress < STALLED_AFTER for box in boxes
            ),
        )
        if not once:
            heartbeat.start()
        self.crashed: list[BaseException] = []
        for thread in loops:
            thread.start()
        for thread in loops:
            thread.join()
        heartbeat.stop()
        if self.crashed:
            # A fault in our code, not the database: exit with an error so the supervisor
            # starts a fresh process, rather than beat on with no loop behind the beat.
            raise CommandError(f"the outbox loop stopped: {self.crashed[0]!r}")

    def loop(self, box, once, poll, stop, counts_audiences) -> None:
        worker_id = box.worker_id
        backoff = workers.Backoff()
        # When this loop last did each chore; None: never its chore.
        first_audience = time.monotonic() - AUDIENCE_EVERY + AUDIENCE_FIRST_AFTER
        timers = {"sweep": 0.0, "audience": first_audience if counts_audiences else None}
        interrupted = False  # a batch was cut short by the database
        try:
            while not stop.is_set():
                try:
                    if interrupted:
                        outbox.release_unstarted(worker_id)  # the rest of that batch
                        interrupted = False
                    pause = self.round(box, worker_id, once, poll, timers)
                except workers.DATABASE_TROUBLE as error:
                    if once:
                        raise
                    # A locked or unreachable database is waited out: the rows are safe
                    # in it (a row whose send had begun becomes unconfirmed when its lease
                    # runs out, never sent twice), and what was approved meanwhile goes
                    # out once it answers again.
                    interrupted = True
                    workers.wait_after_database_trouble(error, backoff, worker_id, stop)
                    continue
                if once:
                    return
                if pause:
                    stop.wait(pause)
        except Exception as error:
            logger.exception("outbox loop %s stopped on a fault", worker_id)
            self.crashed.append(error)
            stop.set()  # the other loops finish their row and the process exits
        finally:
            connection.close()

    def round(self, box, worker_id, once, poll, timers) -> float:
        """One turn of the loop: sweep and count audiences when due, send one batch.
        Answers how long to wait before the next turn (0: at once)."""
        close_old_connections()
        if time.monotonic() - timers["sweep"] >= SWEEP_EVERY or once:
            outbox.sweep()
            timers["sweep"] = time.monotonic()
        audience = timers["audience"]
        if not once and audience is not None and time.monotonic() - audience >= AUDIENCE_EVERY:
            # Each channel is read once a day at most; checking hourly lets a worker
            # started late in the day still collect.
            audience_collect()
            timers["audience"] = time.monotonic()
        if once:
            sent = box.drain()
            self.stdout.write(f"{worker_id}: {sent}")
            return 0.0
        if box.run_once():
            return 0.0
        return outbox.seconds_until_due(poll)
