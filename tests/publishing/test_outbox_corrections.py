"""The sweeper (a worker that died mid-send), and corrections and withdrawals: each fix to
something already out is a delivery of its own, sent exactly once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hamafza.core.models import AuditEntry
from hamafza.publishing import outbox, services
from hamafza.publishing.models import Delivery, Post, PostStatus, RateGate
from hamafza.publishing.platforms.base import Outcome, Result
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


def drain_again(box):
    RateGate.objects.all().delete()  # per-channel spacing is tested elsewhere
    return box.drain()


def test_sweeper_returns_unstarted_leases_and_makes_started_ones_unconfirmed(post, script):
    claims = outbox.claim("dead-worker", limit=10)
    assert len(claims) == 5
    started = Delivery.objects.get(post=post, channel__kind="telegram")
    claim = next(c for c in claims if c.pk == started.pk)
    assert outbox.mark_sending(claim)
    Delivery.objects.update(lease_until=timezone.now() - timedelta(seconds=1))  # it died
    assert outbox.sweep() == {"returned": 4, "unconfirmed": 1}
    started.refresh_from_db()
    assert started.state == "unconfirmed" and started.attempts == 1
    back = Delivery.objects.exclude(pk=started.pk)
    assert set(back.values_list("state", "attempts")) == {("pending", 0)}
    # The dead worker's other claims can no longer start sending: they are fenced out.
    assert not any(outbox.mark_sending(c) for c in claims if c.pk != started.pk)
    live = outbox.Outbox("second", adapter_for=script.factory, sleep=lambda s: None)
    assert live.drain() == 4
    assert len(script.ops()) == 3  # telegram is not resent; website is in-process
    assert ("publish", "telegram") not in {(c[0], c[1]) for c in script.calls}


def test_a_late_answer_still_counts_after_the_sweep(post):
    claim = outbox.claim("slow", limit=10)[0]
    assert outbox.mark_sending(claim)
    Delivery.objects.filter(pk=claim.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    outbox.sweep()
    assert Delivery.objects.get(pk=claim.pk).state == "unconfirmed"
    assert outbox.record(claim, Result(Outcome.SENT, remote_id="55"))
    assert Delivery.objects.get(pk=claim.pk).state == "sent"


def test_a_claim_taken_away_cannot_record(post):
    claim = outbox.claim("slow", limit=1)[0]
    Delivery.objects.filter(pk=claim.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    outbox.sweep()
    again = outbox.claim("fast", limit=1)[0]
    assert again.pk == claim.pk  # first in line again
    assert not outbox.mark_sending(claim) and not outbox.record(claim, Result(Outcome.SENT))
    assert outbox.mark_sending(again)


def test_correction_edits_where_it_can_and_posts_a_correction_elsewhere(
    box, script, post, reviewer, member
):
    box.drain()
    with pytest.raises(PermissionDenied):
        services.post_correct(actor=member, post=post, title="x")
    correction = services.post_correct(
        actor=reviewer, post=post, title="برگزاری دوره خبرنویسی پیشرفته", note="عنوان دقیق‌تر شد"
    )
    post.refresh_from_db()
    assert post.title == "برگزاری دوره خبرنویسی پیشرفته"
    ops = dict(Delivery.objects.filter(post=correction).values_list("channel__kind", "operation"))
    assert ops == {
        "website": "edit",
        "telegram": "edit",
        "bale": "edit",
        "rubika": "edit",
        "eitaa": "correction",
    }
    assert drain_again(box) == 5
    telegram_id = Delivery.objects.get(post=post, channel__kind="telegram").remote_id
    assert ("edit", "telegram", "@telegram_chat", telegram_id) in script.calls
    eitaa = [c for c in script.ops("publish") if c[1] == "eitaa"]
    assert len(eitaa) == 2 and eitaa[1][3].startswith("اصلاحیه")
    correction.refresh_from_db()
    assert correction.status == PostStatus.SENT and correction.correction_of == post
    assert AuditEntry.objects.filter(action="publishing.post.corrected", actor=reviewer).exists()
    assert drain_again(box) == 0


def test_an_edit_the_platform_refuses_becomes_a_correction_post(box, script, post, reviewer):
    box.drain()
    correction = services.post_correct(actor=reviewer, post=post, lead="لید تازه")
    script.answers["telegram"] = [
        Result(Outcome.FAILED, error="message can't be edited"),
        Result(Outcome.SENT, remote_id="77"),
    ]
    before = timezone.now()
    drain_again(box)
    edit = Delivery.objects.get(post=correction, channel__kind="telegram", operation="edit")
    assert edit.state == "failed"
    row = Delivery.objects.get(post=correction, channel__kind="telegram", operation="correction")
    # Due after the channel's gap (a drain slowed by a loaded machine may reach it too).
    assert row.due_at >= before + timedelta(seconds=1)
    Delivery.objects.filter(pk=row.pk).update(due_at=timezone.now())
    drain_again(box)
    row.refresh_from_db()
    assert (row.state, row.remote_id) == ("sent", "77")


def test_withdrawal_deletes_within_48_hours_and_posts_a_notice_after(
    box, script, post, reviewer, member, agency, channels
):
    box.drain()
    Delivery.objects.filter(post=post, channel__kind="bale").update(
        sent_at=timezone.now() - timedelta(hours=49)
    )
    late = approve(member, reviewer, agency, [channels["telegram"]], title="زمان‌بندی‌شده")
    Post.objects.filter(pk=late.pk).update(publish_at=timezone.now() + timedelta(days=1))
    Delivery.objects.filter(post=late).update(due_at=timezone.now() + timedelta(days=1))
    services.post_withdraw(actor=reviewer, post=post, reason="خطای آماری")
    ops = dict(
        Delivery.objects.filter(post=post)
        .exclude(operation="publish")
        .values_list("channel__kind", "operation")
    )
    assert ops == {
        "website": "delete",
        "telegram": "delete",
        "rubika": "delete",
        "bale": "correction",
        "eitaa": "correction",
    }
    assert drain_again(box) == 5
    assert {c[1] for c in script.ops("delete")} == {"telegram", "rubika"}
    notices = [c for c in script.ops("publish") if c[3].startswith("این خبر پس گرفته شد")]
    assert {c[1] for c in notices} == {"bale", "eitaa"}
    post.refresh_from_db()
    assert post.status == PostStatus.WITHDRAWN
    services.post_withdraw(actor=reviewer, post=late)  # never went out: just cancelled
    assert Delivery.objects.get(post=late).state == "cancelled"
    with pytest.raises(ValidationError):
        services.post_withdraw(actor=reviewer, post=late)


def test_withdrawing_before_a_claimed_send_goes_out_sends_nothing(box, script, post, reviewer):
    claims = outbox.claim("w", limit=10)
    telegram = next(c for c in claims if Delivery.objects.get(pk=c.pk).channel.kind == "telegram")
    services.post_withdraw(actor=reviewer, post=post)
    delete = Delivery.objects.get(post=post, channel__kind="telegram", operation="delete")
    box.drain()  # the delete is claimed, finds its original in flight, and waits
    delete.refresh_from_db()
    assert delete.state in ("pending", "retry")  # waits for the original to land
    assert delete.due_at > timezone.now()
    # The claimed publish had not reached the platform yet: it is not sent at all now,
    # and with nothing to delete the deletion settles as not needed.
    assert box.process(telegram) == "cancelled"
    Delivery.objects.filter(pk=delete.pk).update(due_at=timezone.now())
    drain_again(box)
    delete.refresh_from_db()
    assert delete.state == "cancelled"
    assert not script.ops("publish") and not script.ops("delete")


def test_a_withdrawal_goes_ahead_of_a_backlog_of_new_posts(
    box, post, reviewer, member, agency, channels
):
    """A wrong post is taken down first, not after the hundreds of posts a fan-out put in
    the queue before it."""
    box.drain()
    backlog = [
        approve(member, reviewer, agency, channels.values(), title=f"خبر {i}") for i in range(3)
    ]
    Delivery.objects.filter(post__in=backlog).update(due_at=timezone.now() - timedelta(hours=1))
    services.post_withdraw(actor=reviewer, post=post, reason="خطای آماری")
    claimed = Delivery.objects.filter(pk__in=[c.pk for c in outbox.claim("w", limit=5)])
    assert {d.post_id for d in claimed} == {post.pk}
    assert {d.operation for d in claimed} == {"delete", "correction"}
