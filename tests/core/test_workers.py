"""What the monitors read of the workers, and how a worker waits for the database."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from hamafza.core import workers
from hamafza.core.management.commands.worker import requeue_abandoned
from hamafza.core.models import WorkerHeartbeat
from hamafza.core.sms.notices import send_sms_notice

pytestmark = pytest.mark.django_db(transaction=True)  # the health probe reads from a thread


def beat(kind: str, worker_id: str, seconds_ago: float = 0) -> None:
    workers.Heartbeat(kind, worker_id).beat()
    seen = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=seen)


def test_healthz_shows_the_workers_but_answers_for_the_web_node_alone(client):
    state = client.get("/healthz")
    assert state.status_code == 200  # no worker anywhere: the web node still serves
    assert state.json()["workers"]["outbox"] == {"last_seen": None, "seconds_ago": None, "alive": 0}

    beat("outbox", "outbox:a:1", seconds_ago=5)
    outbox = client.get("/healthz").json()["workers"]["outbox"]
    assert outbox["alive"] == 1 and 4 <= outbox["seconds_ago"] <= 6


def test_healthz_workers_is_503_until_every_kind_has_a_live_worker(client):
    answer = client.get("/healthz/workers")
    assert answer.status_code == 503
    assert set(answer.json()["missing"]) == {"tasks", "outbox"}

    beat("tasks", "tasks:a:1")
    beat("outbox", "outbox:a:2", seconds_ago=90)  # stopped a minute and a half ago
    answer = client.get("/healthz/workers")
    assert answer.status_code == 503 and answer.json()["missing"] == ["outbox"]

    beat("outbox", "outbox:b:3")
    answer = client.get("/healthz/workers")
    assert answer.status_code == 200 and answer.json() == {
        "ok": True,
        "missing": [],
        "workers": answer.json()["workers"],
    }
    assert answer.json()["workers"]["outbox"]["alive"] == 1


def test_a_beat_keeps_one_row_per_worker_and_forgets_workers_gone_a_day():
    beat("tasks", "tasks:old:1", seconds_ago=2 * 86400)
    beat("tasks", "tasks:a:1")
    beat("tasks", "tasks:a:1")
    workers.Heartbeat("tasks", "tasks:new:2").beat()
    assert sorted(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == [
        "tasks:a:1",
        "tasks:new:2",
    ]


def test_a_task_left_running_by_a_silent_worker_is_queued_again_a_live_ones_is_not():
    two_minutes_ago = timezone.now() - timedelta(minutes=2)
    dead = send_sms_notice.enqueue(notice_id=1)
    alive = send_sms_notice.enqueue(notice_id=2)
    lost = send_sms_notice.enqueue(notice_id=3)  # our own claim whose answer was lost
    beat("tasks", "tasks:alive:1")
    beat("tasks", "tasks:me:2")
    for result, worker in ((dead, "tasks:dead:9"), (alive, "tasks:alive:1"), (lost, "tasks:me:2")):
        DBTaskResult.objects.filter(pk=result.id).update(
            status="RUNNING", started_at=two_minutes_ago, worker_ids=[worker]
        )

    assert requeue_abandoned(own_id="tasks:me:2", in_hand=None) == 2
    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
    assert statuses == {dead.id: "READY", alive.id: "RUNNING", lost.id: "READY"}


@task()
def needs_the_database_twice() -> str:
    """Meets a database that is away on its first run."""
    if not cache.get("tests:database-back"):
        cache.set("tests:database-back", True)
        raise OperationalError("database is locked")
    return "done"


def test_a_task_that_meets_the_database_away_is_tried_again_not_failed():
    from tests.conftest import run_worker

    cache.delete("tests:database-back")
    result = needs_the_database_twice.enqueue()
    run_worker()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "READY" and row.run_after > timezone.now()  # later, not failed

    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())
    run_worker()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.return_value == "done"


def test_a_stuck_loop_writes_no_heartbeat():
    stuck = workers.Heartbeat("outbox", "outbox:stuck:1", every=0.05, working=lambda: False)
    fine = workers.Heartbeat("tasks", "tasks:fine:1", every=0.05)
    for heartbeat in (stuck, fine):
        heartbeat.start()
    time.sleep(0.3)
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {"tasks:fine:1"}
    for heartbeat in (stuck, fine):
        heartbeat.stop()
    assert not WorkerHeartbeat.objects.exists()  # a clean stop takes its row away


def test_the_pause_between_tries_grows_to_ten_seconds_and_starts_over_after_calm(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(workers.time, "monotonic", lambda: clock[0])
    backoff = workers.Backoff()
    pauses = []
    for _ in range(7):
        pauses.append(backoff.next_pause())
        clock[0] += 1
    assert 0.8 <= pauses[0] <= 1.2 and 1.6 <= pauses[1] <= 2.4
    assert all(8 <= pause <= 12 for pause in pauses[4:])  # capped
    clock[0] += 120
    assert backoff.next_pause() <= 1.2


def test_an_outbox_loop_that_breaks_on_a_fault_ends_the_process_with_an_error(monkeypatch):
    """A database away is waited out; a fault in our code is not: the process exits with
    an error (for its supervisor to restart it) instead of beating on with no loop."""
    from django.core.management import CommandError, call_command

    from hamafza.publishing import outbox

    def broken_sweep():
        raise RuntimeError("a bug")

    monkeypatch.setattr(outbox, "sweep", broken_sweep)
    with pytest.raises(CommandError, match="a bug"):
        call_command("outbox", "--poll", "0.05")
