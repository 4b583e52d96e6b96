"""SMS notices through the real gateway client, with a local Kavenegar standing in: they go
through the durable queue by id and are sent once, and a broken account tells the operators by e-mail and a home-page card, never by SMS.
No code and no key is stored or logged in plain text."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hamafza.core.models import SmsAccountAlert, SmsNotice
from hamafza.core.sms import Rendered, SmsUnavailable, queue_notice, sms_notice
from hamafza.core.sms.notices import MAX_ATTEMPTS, deliver_notice, send_sms_notice
from hamafza_fakes import FakeKavenegar
from tests.conftest import KAVENEGAR_KEY as KEY
from tests.conftest import make_user, queued_rows_text, run_worker


@sms_notice("tests.council_reminder")
def council_reminder(*, user: int):
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.filter(pk=user).first()
    return (
        Rendered(to=person.mobile, text=f"نشست شورا فردا؛ {person.first_name}") if person else None
    )


@pytest.fixture
def person(hub):
    return make_user("shora", first_name="لیلا", mobile="09151112233", email="shora@example.ir")


# --- Notices through the queue ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_notice_is_queued_on_commit_by_id_and_rendered_when_sent(kavenegar, person):
    with transaction.atomic():
        queue_notice("tests.council_reminder", user=person.pk)
        assert DBTaskResult.objects.count() == 0  # nothing before the commit
    assert "نشست" not in queued_rows_text()

    run_worker()

    [sms] = kavenegar.sent
    assert sms["receptor"] == person.mobile and sms["message"] == "نشست شورا فردا؛ لیلا"
    notice = SmsNotice.objects.get()
    assert notice.state == "sent" and notice.gateway_id == str(sms["messageid"])


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_queues_no_notice(kavenegar, person):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_notice("tests.council_reminder", user=person.pk)
        raise RuntimeError("the change failed")

    assert DBTaskResult.objects.count() == 0 and SmsNotice.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_notice_is_sent_once_even_when_its_task_runs_twice(kavenegar, person):
    with transaction.atomic():
        notice = queue_notice("tests.council_reminder", user=person.pk)
    send_sms_notice.enqueue(notice_id=notice.pk)  # a duplicate task row for the same notice

    run_worker()
    assert deliver_notice(notice.pk) == "sent"  # and once more by hand

    assert len(kavenegar.sent) == 1
    assert DBTaskResult.objects.successful().count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_busy_gateway_puts_the_notice_back_with_backoff(kavenegar, person):
    with transaction.atomic():
        notice = queue_notice("tests.council_reminder", user=person.pk)
    kavenegar.fail_next("409")

    run_worker()

    notice.refresh_from_db()
    assert notice.state == "pending" and notice.attempts == 1 and "409" in notice.error
    [later] = DBTaskResult.objects.filter(status="READY")
    assert later.run_after > notice.updated_at  # due later, not at once
    assert list(DBTaskResult.objects.ready()) == []
    assert kavenegar.sent == []


@pytest.mark.django_db(transaction=True)
def test_a_bad_number_fails_that_notice_only(kavenegar, person):
    person.mobile = "09151112"
    person.save()
    with transaction.atomic():
        notice = queue_notice("tests.council_reminder", user=person.pk)

    run_worker()

    notice.refresh_from_db()
    assert notice.state == "failed" and notice.error.startswith("411")
    assert not SmsAccountAlert.objects.exists()


# --- The account broken: an alert for the operators -------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_broken_key_alerts_the_operators_once_by_email_and_a_card(
    kavenegar, settings, person, admin_user, owner, login
):
    admin_user.email = "admin@example.ir"
    admin_user.save()
    settings.KAVENEGAR_API_KEY = "revoked-kavenegar-key-000"
    with transaction.atomic():
        first = queue_notice("tests.council_reminder", user=person.pk)
        queue_notice("tests.council_reminder", user=person.pk)

    run_worker()

    alert = SmsAccountAlert.objects.get()
    assert alert.kind == "credentials" and alert.status == 403 and alert.closed_at is None
    assert [m.to for m in mail.outbox] == [["admin@example.ir"]]  # one e-mail, not two
    assert kavenegar.sent == []  # never by SMS
    first.refresh_from_db()
    assert first.state == "pending"  # held until the key works again
    assert "پیامک‌ها نمی‌روند" in login(admin_user).get("/").content.decode()
    assert "پیامک‌ها نمی‌روند" not in login(owner).get("/").content.decode()

    settings.KAVENEGAR_API_KEY = KEY
    assert deliver_notice(first.pk) == "sent"
    alert.refresh_from_db()
    assert alert.closed_at is not None
    assert "پیامک‌ها نمی‌روند" not in login(admin_user).get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_no_credit_is_its_own_alert(kavenegar, person, admin_user):
    kavenegar.credit = 0
    with transaction.atomic():
        queue_notice("tests.council_reminder", user=person.pk)

    run_worker()

    assert SmsAccountAlert.objects.get().kind == "no_credit"


# --- The key in no log line -------------------------------------------------------------


@pytest.mark.slow
def test_the_key_never_reaches_the_log_of_a_failing_send(tmp_path):
    """Every log line at DEBUG level, through the handlers settings.LOGGING configures,
    while a send fails in each way: refused, no answer, a bad key."""
    with FakeKavenegar(api_keys={"another-key-entirely"}) as api:
        api.hang(seconds=2)
        script = (
            "from hamafza.core.sms import SmsMessage\n"
            "from hamafza.core.sms.kavenegar import KavenegarBackend\n"
            "import logging\n"
            f"g = KavenegarBackend(base_url='{api.base_url}', read_timeout=0.3)\n"
            "print(g.send(SmsMessage(to='09121234567', text='x')))\n"  # no answer
            "print(g.send(SmsMessage(to='09121234567', text='x')))\n"  # 403
            "g = KavenegarBackend(base_url='http://127.0.0.1:9')\n"
            "print(g.send(SmsMessage(to='09121234567', text='x')))\n"  # refused
            "try:\n"
            f"    raise RuntimeError('while calling {api.base_url}/v1/{KEY}/sms/send.json')\n"
            "except RuntimeError:\n"
            "    logging.getLogger('hamafza').exception('a send failed')\n"
        )
        env = {
            **os.environ,
            "LOG_LEVEL": "DEBUG",
            "KAVENEGAR_API_KEY": KEY,
            "HAMAFZA_VAR_DIR": str(tmp_path),
        }
        result = subprocess.run(
            [sys.executable, "-m", "hamafza", "shell", "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "unconfirmed" in output and "credentials" in output and "retry" in output
    assert "urllib3" in output or "connectionpool" in output or "Starting new" in output
    assert "a send failed" in output and "Traceback" in output
    assert KEY not in output


@pytest.mark.django_db(transaction=True)
def test_waiting_for_a_fixed_key_does_not_use_up_the_retries(kavenegar, settings, person):
    settings.KAVENEGAR_API_KEY = "revoked-kavenegar-key-000"
    with transaction.atomic():
        notice = queue_notice("tests.council_reminder", user=person.pk)
    for _ in range(MAX_ATTEMPTS + 2):  # held for longer than all its retries
        SmsNotice.objects.filter(pk=notice.pk).update(state="pending")
        deliver_notice(notice.pk)
    settings.KAVENEGAR_API_KEY = KEY
    kavenegar.fail_next("409")

    assert deliver_notice(notice.pk) == "pending"  # one busy answer: tried again later
    assert deliver_notice(notice.pk) == "sent"


@pytest.mark.django_db(transaction=True)
def test_a_notice_left_sending_by_a_dead_worker_becomes_unconfirmed(kavenegar, person):
    with transaction.atomic():
        stuck = queue_notice("tests.council_reminder", user=person.pk)
        other = queue_notice("tests.council_reminder", user=person.pk)
    SmsNotice.objects.filter(pk=stuck.pk).update(
        state="sending", updated_at=timezone.now() - timedelta(minutes=11)
    )

    deliver_notice(other.pk)

    stuck.refresh_from_db()
    assert stuck.state == "unconfirmed"  # it may have gone: not sent again
    assert len(kavenegar.sent) == 1


@pytest.mark.django_db(transaction=True)
def test_a_missing_template_stays_one_alert_while_notices_go_out(kavenegar, settings, person):
    from hamafza.core.sms import send_otp

    settings.KAVENEGAR_TEMPLATES = ""
    for _ in range(3):
        with pytest.raises(SmsUnavailable):
            send_otp(to="09121234567", code="123456", purpose="application")
        with transaction.atomic():
            notice = queue_notice("tests.council_reminder", user=person.pk)
        assert deliver_notice(notice.pk) == "sent"

    [alert] = SmsAccountAlert.objects.all()
    assert alert.kind == "template" and alert.closed_at is None
    settings.KAVENEGAR_TEMPLATES = "application=hamafza-application"
    send_otp(to="09121234567", code="123456", purpose="application")
    alert.refresh_from_db()
    assert alert.closed_at is not None
