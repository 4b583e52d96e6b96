"""`hamafza worker`: runs queued background tasks (all queues unless told otherwise).

django-tasks-db's worker, made to outlive the database: where it would exit on a locked or
unreachable database, this one waits with a growing pause and goes on; a task whose result
could not be recorded is queued again (tasks are safe to run twice), and so are the tasks
of a worker that died mid-task. A heartbeat thread tells `/healthz` it is alive.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.autoreload import run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from hamafza.core import workers
from hamafza.core.tasks import WORKER_KIND

logger = logging.getLogger(__name__)

ABANDONED_AFTER = timedelta(minutes=5)  # a running task whose worker is silent this long


class ResilientWorker(Worker):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.backoff = workers.Backoff()
        self.in_hand: str | None = None  # the task being run, until its result is saved

    def run(self) -> None:
        swept = False
        while self.running:
            try:
                if not swept:
                    requeue_abandoned()
                    swept = True
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
        super().run_task(db_task_result)  # raises only when the result could not be saved
        self.in_hand = None

    def requeue_in_hand(self) -> None:
        """The task ran (or began) but the database went away before its result was
        saved: queue it again rather than leave it 'running' for ever."""
        DBTaskResult.objects.filter(pk=self.in_hand, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        logger.warning("task %s queued again: its result was not saved", self.in_hand)
        self.in_hand = None


def requeue_abandoned(now=None) -> int:
    """Queue again the tasks left running by workers that have been silent for
    ABANDONED_AFTER (killed mid-task); a live worker's long task is left alone."""
    from hamafza.core.models import WorkerHeartbeat

    now = now or timezone.now()
    cutoff = now - ABANDONED_AFTER
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
        abandoned = [pk for pk, ids in running if not ids or ids[-1] not in alive]
        DBTaskResult.objects.filter(pk__in=abandoned).update(
            status=TaskResultStatus.READY, started_at=None
        )
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
            **{key: options[key] for key in (
                "interval", "batch", "backend_name", "startup_delay", "max_tasks", "worker_id",
            )},
        )  # fmt: skip
        # A --batch run empties the queue and exits: it is not a worker to watch.
        heartbeat = workers.Heartbeat(WORKER_KIND, worker.worker_id)
        if not options["batch"]:
            heartbeat.start()
        try:
            if reload and not options["batch"]:
                run_with_reloader(worker.run)
            else:
                worker.configure_signals()
                worker.run()
        finally:
            heartbeat.stop()
