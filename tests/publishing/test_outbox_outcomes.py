"""Each outcome an adapter can report, and what the outbox makes of it. Adapters here
are scripted (test_outbox_support.Script); the real ones are tested against the fakes."""

import random
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hamafza.core.models import AuditEntry
from hamafza.core.sms.log import LogBackend
from hamafza.publishing import outbox, ratelimit, services
from hamafza.publishing.alerts import broken_connections
from hamafza.publishing.models import (
    ChannelConnection,
    Delivery,
    PostStatus,
    RateGate,
)
from hamafza.publishing.platforms.base import Outcome, Result
from hamafza.publishing.platforms.telegram import PLATFORM as TELEGRAM
from hamafza.publishing.ratelimit import Slot
from hamafza_fakes import FakeBale
from tests.publishing.test_outbox_support import Script, approve, connect_all


@pytest.fixture
def script():
    return Script()


@pytest.fixture
def box(script):
    return outbox.Outbox("test", adapter_for=script.factory, sleep=lambda s: None)


@pytest.fixture
def post(owner, member, reviewer, agency, channels):
    connect_all(owner, channels)
    return approve(member, reviewer, agency, channels.values())


def state_of(post, kind):
    return Delivery.objects.get(post=post, channel__kind=kind, operation="publish")


def test_everything_sent_once_with_its_link_and_the_post_is_sent(box, script, post):
    assert box.drain() == 5
    assert sorted(kind for _op, kind, _c, _t in script.calls) == [
        "bale",
        "eitaa",
        "rubika",
        "telegram",
    ]
    post.refresh_from_db()
    assert post.status == PostStatus.SENT and post.published_at is not None
    site = state_of(post, "website")
    assert site.state == "sent" and site.remote_url.endswith(f"/{post.pk}/")
    telegram = state_of(post, "telegram")
    assert (
        telegram.state == "sent"
        and telegram.remote_id
        and telegram.remote_url.startswith("https://t.me/")
    )
    assert telegram.attempts == 1 and telegram.sent_at and not telegram.leased_by
    assert "برگزاری دوره خبرنویسی" in script.calls[0][3]  # title, lead and link in the text
    assert box.drain() == 0 and len(script.calls) == 4  # nothing twice


def test_the_messages_link_to_the_post_on_the_site(box, script, post, settings):
    settings.PUBLIC_SITE_URL = "https://hamafza.example.ir/"
    box.drain()
    link = f"https://hamafza.example.ir/news/{post.pk}/"
    assert all(text.endswith(link) for _op, _kind, _chat, text in script.ops())
    assert state_of(post, "website").remote_url == link


def test_without_a_public_site_the_messages_go_without_a_link(box, script, post, monkeypatch):
    from hamafza.publishing import links

    monkeypatch.setattr(links, "_public_path", None)  # as if no portal were installed
    assert box.drain() == 5
    assert all("/news/" not in text for _op, _kind, _chat, text in script.ops())
    assert [text.splitlines()[0] for _op, _kind, _chat, text in script.ops()] == [post.title] * 4
    site = state_of(post, "website")
    assert site.state == "sent" and site.remote_url == ""


def test_retry_backs_off_within_bounds_and_counts_the_attempt(box, script, post):
    script.answers["telegram"] = [Result(Outcome.RETRY, error="502 Bad Gateway")]
    before = timezone.now()
    box.drain()
    row = state_of(post, "telegram")
    assert row.state == "retry" and row.attempts == 1 and "502" in row.last_error
    assert before <= row.due_at <= timezone.now() + timedelta(seconds=outbox.BACKOFF_BASE)
    post.refresh_from_db()
    assert post.status == PostStatus.SENDING  # the others went; this one is still on its way


def test_retry_after_overrides_backoff_and_holds_back_everyone_on_that_bot(box, script, post):
    script.answers["telegram"] = [Result(Outcome.RETRY, retry_after=120, error="429")]
    box.drain()
    row = state_of(post, "telegram")
    assert row.due_at >= timezone.now() + timedelta(seconds=118)
    gates = RateGate.objects.filter(next_at__gte=timezone.now() + timedelta(seconds=118))
    assert gates.count() == 2  # the bot's gate and the channel's


def test_after_eight_attempts_it_fails(box, script, post):
    script.answers["rubika"] = [Result(Outcome.RETRY, error="timeout connecting")]
    for _ in range(outbox.MAX_ATTEMPTS):
        Delivery.objects.filter(state="retry").update(due_at=timezone.now())
        RateGate.objects.all().delete()
        box.drain()
    row = state_of(post, "rubika")
    assert row.state == "failed" and row.attempts == outbox.MAX_ATTEMPTS
    assert len(script.ops()) == 3 + outbox.MAX_ATTEMPTS
    assert AuditEntry.objects.filter(action="publishing.delivery.failed").exists()
    post.refresh_from_db()
    assert post.status == PostStatus.SENT  # done: nothing is on its way any more


def test_permanent_failure_is_recorded_with_the_platform_reason(box, script, post):
    script.answers["eitaa"] = [Result(Outcome.FAILED, error="400 message is too long")]
    box.drain()
    row = state_of(post, "eitaa")
    assert row.state == "failed" and row.last_error == "400 message is too long"
    assert box.drain() == 0


def test_broken_credentials_stop_the_channel_and_alert_its_pr_managers(
    box,
    script,
    post,
    owner,
    member,
    other_owner,
    agency,
    channels,
    reviewer,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    owner.mobile = "09151234567"
    owner.save()
    LogBackend.outbox.clear()
    script.answers["bale"] = [Result(Outcome.CREDENTIALS, error="401 Unauthorized")]
    with django_capture_on_commit_callbacks(execute=True):
        box.drain()
    row = state_of(post, "bale")
    assert row.state == "credentials"
    connection = ChannelConnection.objects.get(channel=channels["bale"])
    assert connection.state == "broken" and "401" in connection.last_error
    assert [m.to for m in LogBackend.outbox] == ["09151234567"]
    assert "بله" in LogBackend.outbox[0].text
    card = broken_connections(owner)
    assert card.title == "اتصال‌های خراب" and [s.channel for s in card.context["stalled"]] == [
        connection.channel
    ]
    assert broken_connections(member) is None and broken_connections(other_owner) is None

    # A second post to the broken channel is not even tried, and no second SMS goes.
    second = approve(member, reviewer, agency, [channels["bale"]], title="دومی")
    with django_capture_on_commit_callbacks(execute=True):
        box.drain()
    assert state_of(second, "bale").state == "credentials"
    assert len(script.ops()) == 4 and len(LogBackend.outbox) == 1

    # Reconnecting puts both back in the queue; they go out once.
    script.answers["bale"] = []
    with FakeBale() as api:  # the new token is checked with Bale itself
        services.channel_connect(
            actor=owner,
            channel=channels["bale"],
            token="123:new-token",
            chat_id="@bale_chat",
            base_url=api.base_url,
        )
    for _ in range(2):  # the channel's gap defers the second: not the point here
        RateGate.objects.all().delete()
        Delivery.objects.filter(state="pending").update(due_at=timezone.now())
        box.drain()
    assert state_of(post, "bale").state == "sent" and state_of(second, "bale").state == "sent"
    assert broken_connections(owner) is None


def test_unconfirmed_is_never_retried_until_a_person_says(box, script, post, reviewer, member):
    script.answers["telegram"] = [Result(Outcome.UNCONFIRMED, error="read timed out")]
    box.drain()
    row = state_of(post, "telegram")
    assert row.state == "unconfirmed"
    Delivery.objects.filter(pk=row.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert box.drain() == 0
    with pytest.raises(PermissionDenied):
        services.delivery_resolve(actor=member, delivery=row, sent=True)
    services.delivery_resolve(
        actor=reviewer, delivery=row, sent=True, remote_url="https://t.me/x/7"
    )
    row.refresh_from_db()
    assert (row.state, row.remote_url) == ("sent", "https://t.me/x/7")
    assert AuditEntry.objects.filter(action="publishing.delivery.resolved", actor=reviewer).exists()
    post.refresh_from_db()
    assert post.status == PostStatus.SENT


def test_unconfirmed_sent_again_when_the_person_finds_it_did_not_go(box, script, post, reviewer):
    script.answers["rubika"] = [
        Result(Outcome.UNCONFIRMED, error="timeout"),
        Result(Outcome.SENT, remote_id="9"),
    ]
    box.drain()
    row = state_of(post, "rubika")
    services.delivery_resolve(actor=reviewer, delivery=row, sent=False)
    RateGate.objects.all().delete()
    assert box.drain() == 1
    row.refresh_from_db()
    assert (row.state, row.remote_id) == ("sent", "9")


def test_an_adapter_that_raises_after_the_request_started_is_unconfirmed(box, script, post):
    script.raises["eitaa"] = ConnectionResetError("peer reset")
    box.drain()
    assert state_of(post, "eitaa").state == "unconfirmed"


def test_backoff_has_full_jitter_under_a_growing_ceiling():
    rng = random.Random(5)
    for attempt in range(1, 13):
        ceiling = min(outbox.BACKOFF_CAP, outbox.BACKOFF_BASE * 2 ** (attempt - 1))
        samples = [outbox.backoff_seconds(attempt, rng=rng) for _ in range(400)]
        assert all(0 <= s <= ceiling for s in samples)
        assert min(samples) < 0.1 * ceiling and max(samples) > 0.9 * ceiling  # full jitter
    assert outbox.backoff_seconds(50, rng=rng) <= 15 * 60


def test_retry_after_is_a_floor_under_the_backoff():
    rng = random.Random(1)
    assert all(outbox.retry_delay(1, 30, rng=rng) == 30 for _ in range(50))  # backoff ≤ 5 s
    assert all(30 <= outbox.retry_delay(9, 30, rng=rng) <= 900 for _ in range(50))
    assert 0 <= outbox.retry_delay(1, None, rng=rng) <= 5


def test_a_closed_gate_puts_the_row_back_without_counting_an_attempt(box, script, post):
    # Another worker took the bot's slots for the next minute: the row waits for the gate.
    box.drain()
    row = state_of(post, "telegram")
    RateGate.objects.update(next_at=timezone.now() + timedelta(seconds=60))
    Delivery.objects.filter(pk=row.pk).update(
        state="pending", attempts=0, parts=[], due_at=timezone.now()
    )
    assert box.drain() == 1
    row.refresh_from_db()
    assert row.state == "pending" and row.attempts == 0
    assert row.due_at >= timezone.now() + timedelta(seconds=55)
    assert len(script.ops()) == 4  # not sent again


def most_in_a_second(slots) -> int:
    """The most messages any rolling second holds, from (slot, messages) pairs."""
    times = sorted(t for slot, n in slots for t in [slot.at.timestamp()] * n)
    return max(sum(1 for u in times if t - 1.0 < u <= t) for t in times)


def test_a_slot_ahead_of_now_does_not_let_others_overflow_the_window(db):
    """A text waiting out its channel's gap holds a slot a second ahead; slots taken
    meanwhile still count the album it follows."""

    def take(channel_id, messages=1, max_wait=5.0):
        gates = ratelimit.gates_for(
            platform=TELEGRAM, base_url="u", token="t", channel_id=channel_id
        )
        return ratelimit.take(gates, messages=messages, max_wait=max_wait), messages

    taken = [take(1, messages=4), take(1)]  # the album, and its text a gap later
    taken += [take(channel) for channel in range(2, 40)]
    assert all(slot.ok for slot, _n in taken)
    assert most_in_a_second(taken) <= 30


def test_slots_keep_each_bot_and_each_channel_within_the_platforms_limits(db):
    margin = 1 + ratelimit.safety_margin()

    def take(channel_id, messages=1, **kwargs):
        gates = ratelimit.gates_for(
            platform=TELEGRAM, base_url="u", token="t", channel_id=channel_id
        )
        return ratelimit.take(gates, messages=messages, **kwargs), messages

    # A bot's messages are spaced out, an album's four taking four places.
    album = take(1, messages=4)
    after = take(2, max_wait=5)
    spacing = 4 * margin / 30 * ratelimit.BOT_PACE_SHARE
    assert (after[0].at - album[0].at).total_seconds() == pytest.approx(spacing, abs=1e-3)
    taken = [album, after] + [take(channel, max_wait=5) for channel in range(3, 40)]
    assert all(slot.ok for slot, _n in taken) and most_in_a_second(taken) <= 30
    # A second request into the same channel waits the platform's gap after the first.
    again, _n = take(1, max_wait=5)
    assert (again.at - album[0].at).total_seconds() >= 1.0 * margin - 1e-3
    assert not take(1, max_wait=0.5)[0].ok  # too far ahead: nothing taken
    assert (
        str(RateGate.objects.first().key).startswith("bot:") and "t" != RateGate.objects.first().key
    )


def test_albums_and_texts_together_keep_the_bot_near_its_limit(db):
    """A fan-out of albums, each with its text, goes about as fast as the bot's limit
    allows: the spacing leaves the album's four messages their room, and every second
    still holds at most 30."""

    def take(channel_id, messages):
        gates = ratelimit.gates_for(
            platform=TELEGRAM, base_url="u", token="t", channel_id=channel_id
        )
        return ratelimit.take(gates, messages=messages, max_wait=60), messages

    taken = []
    for post in range(100):  # the text goes into a channel whose album went a while ago
        taken += [take(post, 4), take(1000 + post, 1)]
    assert all(slot.ok for slot, _n in taken) and most_in_a_second(taken) <= 30
    messages = sum(n for _slot, n in taken)
    window = 1 + ratelimit.safety_margin()
    least = (messages - 30) / 30 * window  # the first 30 at once, then 30 a window
    span = (taken[-1][0].at - taken[0][0].at).total_seconds()
    assert span <= 1.05 * least


def test_a_request_that_leaves_late_is_counted_when_it_leaves(db):
    """An album whose worker woke 140 ms after its slot: the platform counts its photos
    when they arrive. Recorded at the slot, the albums after it would put 32 messages
    into one second (a 429); recorded when it left, every second holds at most 30."""

    def album(channel_id):
        gates = ratelimit.gates_for(
            platform=TELEGRAM, base_url="u", token="t", channel_id=channel_id
        )
        return gates, ratelimit.take(gates, messages=4, max_wait=5)

    gates, first = album(0)
    late = first.at + timedelta(seconds=0.14)
    ratelimit.moved(gates, slot=first.at, actual=late, messages=4)
    arrived = [(Slot(True, late), 4)] + [(album(channel)[1], 4) for channel in range(1, 20)]
    assert most_in_a_second(arrived) <= 30
    # The channel's own gap runs from when it really went, too.
    again = ratelimit.take(gates, max_wait=5)
    assert (again.at - late).total_seconds() >= 1 + ratelimit.safety_margin() - 1e-3


def test_a_worker_that_wakes_late_records_when_its_request_really_left(db):
    """On a loaded machine the worker wakes 50 ms after its slot: the gates hold the
    moment it left, not the slot."""

    def gates(channel_id):
        return ratelimit.gates_for(
            platform=TELEGRAM, base_url="u", token="t", channel_id=channel_id
        )

    box = outbox.Outbox("test", sleep=lambda seconds: time.sleep(seconds + 0.05))
    ratelimit.take(gates(1), max_wait=5)  # the bot's next slot is now a little ahead
    before = timezone.now()
    recorded = box._slot(None, gates(2), messages=1, mark=False)
    row = RateGate.objects.get(key__endswith=":channel:2")
    assert row.recent == [recorded.timestamp()]
    assert row.recent[0] >= before.timestamp() + 0.05
    assert row.next_at >= timezone.now() + timedelta(seconds=0.9)  # the gap from then


def test_a_slow_answer_holds_the_next_part_a_full_gap_after_it(db):
    """An album whose upload took 100 ms: the platform may have counted it as late as its
    answer, so the text after it waits the channel's gap from the answer, not the slot."""
    gates = ratelimit.gates_for(platform=TELEGRAM, base_url="u", token="t", channel_id=1)
    box = outbox.Outbox("test", sleep=lambda seconds: None)
    recorded = box._slot(None, gates, messages=4, mark=False)
    time.sleep(0.1)
    answered = timezone.now()
    box._answered(gates, recorded, 4)
    text = ratelimit.take(gates, max_wait=5)
    assert (text.at - answered).total_seconds() >= 1 + ratelimit.safety_margin() - 1e-3
