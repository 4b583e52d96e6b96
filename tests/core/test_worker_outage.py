"""Both workers outlive the database's bad half-minute, as real processes: on SQLite a file
held under an exclusive lock, on PostgreSQL a connection cut at a TCP proxy (the shared
server keeps running). Meanwhile the health check answers within two seconds; afterwards
what was approved or queued is sent, by the same worker processes."""

import json
import os
import sqlite3
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from hamafza.core.sms.notices import send_sms_notice
from hamafza.network.models import Channel, Role
from hamafza.publishing import services
from hamafza.publishing.models import Delivery
from hamafza_fakes import FakeTelegram, TcpProxy
from tests import processes
from tests.conftest import grant, make_user

pytestmark = pytest.mark.slow

OUTAGE = 30.0  # seconds, as long as the lock an outside test saw stop the outbox for good


def get(url: str) -> tuple[int, dict, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, json.loads(body), time.monotonic() - started


def wait_for(condition, seconds: float, what) -> None:
    """`what` says what was awaited (or is called to say it)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: " + (
            what() if callable(what) else what
        )
        time.sleep(0.2)


def assert_running(*workers) -> None:
    for worker in workers:
        assert worker.poll() is None, worker.stderr.read().decode()[-3000:]


@contextmanager
def sqlite_locked(path, *, readers_too: bool):
    """Hold the file's write lock, and with `readers_too` the whole file: no other
    connection may then read it or even open it (it must be taken while none is open)."""
    holder = sqlite3.connect(path, isolation_level=None, timeout=30)
    if readers_too:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    if readers_too:
        holder.execute("COMMIT")  # in exclusive locking mode the lock outlives it
    try:
        yield
    finally:
        holder.close()


# What a person does on the site once the database is back: approve a post to a Telegram
# channel, and a task is queued. Run by `hamafza shell -c` on the test's own SQLite file.
APPROVE_AND_QUEUE = """
from hamafza.core.models import User
from hamafza.core.sms.notices import send_sms_notice
from hamafza.network.models import Channel, Membership, Organisation, OrganisationKind, Province, Role
from hamafza.publishing import services
province = Province.objects.create(name="سیستان و بلوچستان", slug="sb")
hub = Organisation.objects.create(name="اداره کل", slug="hub", kind=OrganisationKind.HUB, province=province)
people = {}
for name, role in (("owner", Role.PR_MANAGER), ("editor", Role.EDITOR), ("reviewer", Role.REVIEWER)):
    people[name] = User.objects.create_user(name, password="x-long-password-1405")
    Membership.objects.create(user=people[name], organisation=hub, role=role)
channel = Channel.objects.create(organisation=hub, kind="telegram", handle="@outage_news")
services.channel_connect(actor=people["owner"], channel=channel, token="123:outage", chat_id="@outage_news", base_url="{base_url}")
post = services.post_create(actor=people["editor"], organisation=hub, title="پس از قفل", body="<p>متن</p>", channels=[channel])
services.post_submit(actor=people["editor"], post=post)
services.post_approve(actor=people["reviewer"], post=post)
send_sms_notice.enqueue(notice_id=0)
"""

NOTICE_TASK_RUN = (
    "from django_tasks_db.models import DBTaskResult; print(DBTaskResult.objects.filter("
    "task_path__endswith='send_sms_notice', status='SUCCESSFUL').exists())"
)


def test_workers_wait_out_a_locked_sqlite_file_and_send_what_comes_after(tmp_path):
    env = processes.embedded_env(tmp_path, PUBLISHING_ALLOW_LOCAL_API="1")
    processes.hamafza(env, "migrate", "-v", "0")
    database = tmp_path / "hamafza.sqlite3"
    port = processes.free_port()
    base = f"http://127.0.0.1:{port}"
    server = workers = None
    try:
        # The whole file held for half a minute: the web node's health check says so at
        # once, and workers started meanwhile wait instead of exiting.
        with sqlite_locked(database, readers_too=True):
            server = processes.serve(env, port)
            workers = [
                processes.start(env, "worker", "--no-startup-delay", "--interval", "0.2"),
                processes.start(env, "outbox", "--poll", "0.2"),
            ]
            status, state, took = get(f"{base}/healthz")
            assert took < 2.0 and status == 503
            assert state["database"] == {"ok": False, "error": "busy"}
            time.sleep(OUTAGE)
            assert_running(*workers)
        wait_for(
            lambda: get(f"{base}/healthz/workers")[0] == 200,
            60,
            lambda: f"both workers seen: {get(f'{base}/healthz/workers')[1]}",
        )

        # Then the write lock alone, longer than the busy timeout, on running workers.
        with sqlite_locked(database, readers_too=False):
            status, _state, took = get(f"{base}/healthz")
            assert took < 2.0 and status == 200  # readers are not held
            time.sleep(22)  # the busy timeout is 20 s
            assert_running(*workers)

        with FakeTelegram() as telegram:
            processes.hamafza(
                env, "shell", "-c", APPROVE_AND_QUEUE.replace("{base_url}", telegram.base_url)
            )
            wait_for(lambda: telegram.posted("@outage_news"), 30, "the post sent")
            done = lambda: "True" in processes.hamafza(env, "shell", "-c", NOTICE_TASK_RUN)  # noqa: E731
            wait_for(done, 30, "the task run")
        assert_running(*workers)
        assert get(f"{base}/healthz")[0] == 200
        assert get(f"{base}/healthz/workers")[0] == 200
    finally:
        processes.stop(*[p for p in (server, *(workers or [])) if p is not None])


@pytest.fixture
def through_a_proxy():
    """The test database's server behind a TCP proxy, and the environment of a worker that
    reaches the database only through it."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL outage needs PostgreSQL")
    db = connection.settings_dict
    with TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)) as proxy:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@127.0.0.1:{proxy.port}/{db['NAME']}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": settings.SECRET_KEY,
            "PUBLISHING_ALLOW_LOCAL_API": "1",
            "LOG_LEVEL": "WARNING",
        }
        yield proxy, env


def approved_post(agency, channel, title):
    editor = make_user(f"editor-{title}")
    reviewer = make_user(f"reviewer-{title}")
    grant(editor, agency, Role.EDITOR)
    grant(reviewer, agency, Role.REVIEWER)
    post = services.post_create(
        actor=editor, organisation=agency, title=title, body="<p>متن</p>", channels=[channel]
    )
    services.post_submit(actor=editor, post=post)
    return services.post_approve(actor=reviewer, post=post)


@pytest.mark.django_db(transaction=True)
def test_workers_survive_a_postgresql_outage_and_send_what_was_approved_meanwhile(
    through_a_proxy, owner, agency
):
    proxy, env = through_a_proxy
    with FakeTelegram() as telegram:
        channel = Channel.objects.create(organisation=agency, kind="telegram", handle="@pg_news")
        services.channel_connect(
            actor=owner,
            channel=channel,
            token="123:pg",
            chat_id="@pg_news",
            base_url=telegram.base_url,
        )
        workers = [
            processes.start(env, "worker", "--no-startup-delay", "--interval", "0.2"),
            processes.start(env, "outbox", "--poll", "0.2"),
        ]
        try:
            approved_post(agency, channel, "پیش")
            wait_for(lambda: len(telegram.posted("@pg_news")) == 1, 30, "the first post sent")

            proxy.cut()
            meanwhile = approved_post(agency, channel, "میان")  # the web node still writes
            send_sms_notice.enqueue(notice_id=0)
            time.sleep(OUTAGE)
            assert_running(*workers)
            assert len(telegram.posted("@pg_news")) == 1
            proxy.mend()

            wait_for(
                lambda: len(telegram.posted("@pg_news")) == 2, 30, "the post approved meanwhile"
            )
            wait_for(  # the platform has it; the worker records the answer just after
                lambda: Delivery.objects.get(post=meanwhile).state == "sent", 10, "recorded"
            )
            wait_for(
                lambda: DBTaskResult.objects.filter(
                    task_path__endswith="send_sms_notice", status="SUCCESSFUL"
                ).exists(),
                30,
                "the task queued meanwhile",
            )
            assert_running(*workers)
        finally:
            processes.stop(*workers)
