"""Several workers claim from the same outbox at once (PostgreSQL: SKIP LOCKED): every
row is sent exactly once, and none is left behind."""

import threading
from collections import Counter

import pytest
from django.db import connection

from hamafza.network.models import Channel
from hamafza.publishing import outbox, services
from hamafza.publishing.models import Delivery
from tests.publishing.test_outbox_support import Script, connect

ROWS = 80
WORKERS = 6

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite serialises every writer anyway")


def test_workers_in_parallel_never_send_a_row_twice(postgres_only, owner, member, reviewer, agency):
    channels = [
        Channel.objects.create(organisation=agency, kind="telegram", handle=f"@chan{i}")
        for i in range(ROWS)
    ]
    for channel in channels:  # a bot per channel: the rate gates do not slow this test down
        connect(channel, token=f"{channel.pk}:t", chat_id=channel.handle)
    post = services.post_create(
        actor=member, organisation=agency, title="همزمانی", body="<p>x</p>", channels=channels
    )
    services.post_submit(actor=member, post=post)
    services.post_approve(actor=reviewer, post=post)

    script = Script(delay=0.01)  # a send takes a little while, as a real one does
    start = threading.Barrier(WORKERS)

    def work(i):
        start.wait()
        try:
            outbox.Outbox(f"w{i}", adapter_for=script.factory, batch=3).drain()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    per_chat = Counter(chat for _op, _kind, chat, _text in script.calls)
    assert len(per_chat) == ROWS and set(per_chat.values()) == {1}
    assert Delivery.objects.filter(post=post, state="sent").count() == ROWS
    workers = Counter(Delivery.objects.values_list("attempts", flat=True))
    assert workers == {1: ROWS}
