"""`hamafza outbox [--once] [--worker-id ID]`: the outbox worker. Claims due deliveries
with a lease, sends them, records the outcome, and sweeps expired leases (a worker that
died mid-send) every few seconds. Run as many as you like, on as many machines."""

import os
import signal
import socket
import threading
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from hamafza.publishing import outbox
from hamafza.publishing.audience import audience_collect

SWEEP_EVERY = 5.0  # seconds
AUDIENCE_EVERY = 3600.0  # seconds between looks for channels not yet counted today


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
        workers = [
            threading.Thread(target=self.loop, args=(name, once, batch, lease, poll, stop))
            for name in names
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    def loop(self, worker_id, once, batch, lease, poll, stop) -> None:
        box = outbox.Outbox(worker_id, lease=lease, batch=batch)
        last_sweep = last_audience = 0.0
        try:
            while not stop.is_set():
                close_old_connections()
                if time.monotonic() - last_sweep >= SWEEP_EVERY or once:
                    outbox.sweep()
                    last_sweep = time.monotonic()
                if not once and time.monotonic() - last_audience >= AUDIENCE_EVERY:
                    # Each channel is read once a day at most; checking hourly lets a
                    # worker started late in the day still collect.
                    audience_collect()
                    last_audience = time.monotonic()
                if once:
                    sent = box.drain()
                    self.stdout.write(f"{worker_id}: {sent}")
                    return
                if not box.run_once():
                    stop.wait(outbox.seconds_until_due(poll))
        finally:
            connection.close()
