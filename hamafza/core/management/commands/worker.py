"""`hamafza worker`: runs queued background tasks (all queues unless told otherwise).

django-tasks-db's worker, made to outlive the database: where it would exit on a locked or
unreachable database, this one waits with a growing pause and goes on. A task that met the
database's trouble is queued again for a later try instead of failing for good (tasks are
safe to run twice), and so is a task whose result could not be saved, and every task left
running by a worker that has fallen silent (killed mid-task). A heartbeat thread tells
`/healthz` this process is alive, and sweeps for those abandoned tasks every minute.
"""

import logging
import os
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from hamafza.core import workers
from hamafza.core.tasks import WORKER_KIND

logger = logging.getLogger(__name__)

MAX_TRIES = 10  # a task that met the database's trouble this often fails for good
SWEEP_EVERY = 60.0  # seconds between sweeps for abandoned tasks


class ResilientWorker(Worker):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.backoff = workers.Backoff()
        self.in_hand: str | None = None  # the task being run, until its result is saved
        self.last_sweep = float("-inf")

    def run(self) -> None:
        while self.running:
            try:
                if self.in_hand:
                    self.requeue_in_hand()
                super().run()
                return  # --batch or --max-tasks reached
            except workers.DATABASE_TROUBLE as error:
                if self.batch:
                    raise
                workers.wait_after_database_trouble(error, self.backoff, self.worker_id, None)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.in_hand = str(db_task_result.pk)
        record_failure = db_task_result.set_failed

        def set_failed(error: BaseException) -> None:
            tries = len(db_task_result.worker_ids)
            if isinstance(error, workers.DATABASE_TROUBLE) and tries < MAX_TRIES:
                # The database, not the task, was at fault: try it again later.
                requeue(db_task_result.pk, after=timedelta(seconds=5 * tries))
                logger.warning("task %s met %r; queued again", db_task_result.pk, error)
            else:
                record_failure(error)

        db_task_result.set_failed = set_failed  # the library's run_task records through it
        super().run_task(db_task_result)  # raises only when the result could not be saved
        self.in_hand = None

    def requeue_in_hand(self) -> None:
        """The task ran (or began) but the database went away before its result was
        saved: queue it again rather than leave it 'running' for ever."""
        requeue(self.in_hand)
        logger.warning("task %s queued again: its result was not saved", self.in_hand)
        self.in_hand = None

    def sweep(self) -> None:
        """Once a minute (the heartbeat calls it at every beat), from the heartbeat's
        thread, so it happens while a long task runs too."""
        if time.monotonic() - self.last_sweep >= SWEEP_EVERY:
            self.last_sweep = time.monotonic()
            requeue_abandoned(own_id=self.worker_id, in_hand=self.in_hand)


def requeue(*pks, after: timedelta = timedelta(0)) -> None:
    """Running tasks back to the queue, due `after` from now."""
    DBTaskResult.objects.filter(pk__in=pks, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None, run_after=timezone.now() + after
    )


def requeue_abandoned(now=None, *, own_id: str = "", in_hand: str | None = None) -> int:
    """Queue again the tasks left running by workers silent for a minute (killed
    mid-task), and this worker's own running rows that it is not running (a claim whose
    answer was lost). A live worker's long task is left alone."""
    from hamafza.core.models import WorkerHeartbeat

    now = now or timezone.now()
    cutoff = now - workers.SEEN_WITHIN
    with transaction.atomic():
        running = list(
            DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
            .select_for_update()
            .values_list("pk", "worker_ids")
        )
        if not running:
            return 0
        alive = set(
            WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
        )
        alive.discard(own_id)  # for our own rows, `in_hand` says which one is really running
        abandoned = [
            pk for pk, ids in running if (not ids or ids[-1] not in alive) and str(pk) != in_hand
        ]
        requeue(*abandoned)
    if abandoned:
        logger.warning("%d abandoned task(s) queued again", len(abandoned))
    return len(abandoned)


class Command(DbWorkerCommand):
    help = "اجرای کارهای پس‌زمینه (همه صف‌ها)"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # The heartbeat names this process; the default id must match it.
        parser.set_defaults(queue_name="*", worker_id=workers.process_worker_id(WORKER_KIND))

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, **options) -> None:
        self.configure_logging(verbosity)
        worker = ResilientWorker(
            queue_names=queue_name.split(","),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            **{
                key: options[key]
                for key in (
                    "interval",
                    "batch",
                    "backend_name",
                    "startup_delay",
                    "max_tasks",
                    "worker_id",
                )
            },
        )
        if options["batch"]:
            # A --batch run empties the queue and exits: it is not a worker to watch.
            worker.configure_signals()
            worker.run()
        elif reload:
            # The reloader's parent only watches files; the child does the work, in a
            # thread of its own, so its signals are set here, in its main thread.
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(lambda: self.serve(worker))
        else:
            worker.configure_signals()
            self.serve(worker)

    def serve(self, worker: ResilientWorker) -> None:
        """Run the worker with its heartbeat (which also sweeps for abandoned tasks)."""
        heartbeat = workers.Heartbeat(WORKER_KIND, worker.worker_id, chores=[worker.sweep])
        heartbeat.start()
        try:
            worker.run()
        finally:
            heartbeat.stop()
