"""The one way Hamafza queues background work.

Tasks are django-tasks tasks (the API Django 6 ships) stored by django-tasks-db, so the
queue is durable on SQLite and PostgreSQL alike. They take ids, never objects, and must be
safe to run twice.
"""

from functools import partial

from django.db import transaction
from django.db.models import Case, F, Min, When
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` once the current transaction commits, so a worker never sees a job for
    rows that were rolled back, or reads them before they exist."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))


def queue_state() -> dict[str, int | None]:
    """Pending and failed counts, and how long the oldest due task has waited: a growing
    age means no worker is running."""
    results = DBTaskResult.objects
    ready = results.ready()
    # A task without a run_after is stored with a far-future sentinel and is due from the
    # moment it was enqueued; one with a run_after is due from then.
    oldest = ready.aggregate(
        due=Min(Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")))
    )["due"]
    return {
        "pending": ready.count(),
        "failed": results.failed().count(),
        "oldest_pending_seconds": int((timezone.now() - oldest).total_seconds())
        if oldest
        else None,
    }
