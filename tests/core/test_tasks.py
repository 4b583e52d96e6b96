"""Messages go out only for work that was committed, and a worker delivers them."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from hamafza.core.sms import LogBackend, queue_sms


@pytest.fixture
def outbox():
    LogBackend.outbox.clear()
    yield LogBackend.outbox
    LogBackend.outbox.clear()


def run_worker():
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_sms_is_queued_only_when_the_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            queue_sms(to="09121234567", text="نشست شورا فردا ساعت ۱۰")
            assert DBTaskResult.objects.count() == 0

    assert len(callbacks) == 1
    assert DBTaskResult.objects.ready().count() == 1


def test_sms_of_a_rolled_back_change_is_never_queued(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_sms(to="09121234567", text="نباید برود")
            raise RuntimeError("the change failed")

    assert callbacks == []
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_a_committed_sms(outbox):
    with transaction.atomic():
        queue_sms(to="09121234567", text="نشست شورا فردا ساعت ۱۰")
    assert outbox == []  # queued, not sent inline

    run_worker()

    assert [(m.to, m.text) for m in outbox] == [("09121234567", "نشست شورا فردا ساعت ۱۰")]
    assert DBTaskResult.objects.successful().count() == 1
    assert DBTaskResult.objects.ready().count() == 0


@pytest.mark.django_db(transaction=True)
def test_worker_with_nothing_to_do_sends_nothing(outbox):
    run_worker()

    assert outbox == []
