"""The outbox's promise, shown with real processes: a `hamafza outbox` worker is killed
(SIGKILL) while its request hangs at the (fake) platform. Another worker then sweeps and
sends: the row whose request went out is UNCONFIRMED, for a person to check, and not sent
again; the rows it had claimed but never started are sent, each exactly once."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from hamafza.network.models import Channel
from hamafza.publishing import services
from hamafza.publishing.models import Delivery
from hamafza_fakes import FakeTelegram

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

HAMAFZA = Path(sys.executable).with_name("hamafza")
LEASE = 2.0


@pytest.fixture
def worker_env():
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can reach: run on PostgreSQL")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": settings.SECRET_KEY,
        "LOG_LEVEL": "WARNING",
    }


def run_worker(env, *args, **kwargs):
    command = [HAMAFZA, "outbox", "--lease", str(LEASE), "--poll", "0.1", *args]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs
    )


def test_killed_mid_send_nothing_lost_nothing_twice(worker_env, owner, member, reviewer, agency):
    with FakeTelegram() as fake:
        channels = [
            Channel.objects.create(organisation=agency, kind="telegram", handle=f"@kill{i}")
            for i in range(5)
        ]
        for channel in channels:
            services.channel_connect(
                actor=owner,
                channel=channel,
                token="123:kill-test",
                chat_id=channel.handle,
                base_url=fake.base_url,
            )
        post = services.post_create(
            actor=member,
            organisation=agency,
            title="آزمون مرگ کارگزار",
            body="<p>متن</p>",
            channels=channels,
        )
        services.post_submit(actor=member, post=post)
        services.post_approve(actor=reviewer, post=post)
        fake.hang(seconds=120, n=1, method="sendMessage")  # posts, then never answers in time

        doomed = run_worker(worker_env, "--worker-id", "doomed", "--batch", "10")
        deadline = time.monotonic() + 60
        while not fake.calls_to("sendMessage") and time.monotonic() < deadline:
            assert doomed.poll() is None, doomed.stderr.read().decode()
            time.sleep(0.05)
        time.sleep(0.3)  # it is stuck in the hung request
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=10)

        hung_chat = fake.calls_to("sendMessage")[0].params["chat_id"]
        rows = {d.channel.handle: d for d in Delivery.objects.select_related("channel")}
        assert {d.state for d in rows.values()} == {"leased"}  # it had claimed all five
        assert rows[hung_chat].sending_started_at is not None  # ...and started one
        assert sum(d.sending_started_at is not None for d in rows.values()) == 1
        assert len(fake.posted(hung_chat)) == 1  # the platform did post it

        latest = max(d.lease_until for d in rows.values())
        time.sleep(max(0.0, (latest - timezone.now()).total_seconds()) + 0.3)
        rescuer = run_worker(worker_env, "--worker-id", "rescuer", "--once")
        _out, err = rescuer.communicate(timeout=60)
        assert rescuer.returncode == 0, err.decode()

        sends = Counter(call.params["chat_id"] for call in fake.calls_to("sendMessage"))
        assert sends == {channel.handle: 1 for channel in channels}  # each exactly once
        states = dict(Delivery.objects.values_list("channel__handle", "state"))
        assert states.pop(hung_chat) == "unconfirmed"
        assert set(states.values()) == {"sent"} and len(states) == 4

        again = run_worker(worker_env, "--worker-id", "later", "--once")
        again.communicate(timeout=60)
        assert len(fake.calls_to("sendMessage")) == 5  # and nothing later either
