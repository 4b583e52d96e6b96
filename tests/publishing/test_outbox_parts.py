"""A post that goes out in several requests (an album, then the text that did not fit its
caption): every message counts against the rate limits, each part is recorded as it goes,
and only a part that did not go is tried again. Adapters here are scripted."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hamafza.publishing import outbox, services
from hamafza.publishing.models import Delivery, Post, RateGate
from hamafza.publishing.platforms.base import Outcome, Result
from hamafza.publishing.platforms.registry import platform_for
from tests.publishing.test_outbox_support import Script, connect_all

LONG_LEAD = "بیمه روستاییان و عشایر در همه شهرستان‌های استان آغاز شد. " * 30  # > a caption


@pytest.fixture
def script():
    return Script()


@pytest.fixture
def box(script):
    return outbox.Outbox("test", adapter_for=script.factory, sleep=lambda s: None)


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 160)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), "image/png")


@pytest.fixture
def album_post(owner, member, reviewer, agency, channels):
    """Four photos and a lead too long for a caption, to Telegram only."""
    connect_all(owner, channels)
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="آغاز ثبت‌نام بیمه",
        lead=LONG_LEAD,
        body="<p>متن</p>",
        channels=[channels["telegram"]],
    )
    for i in range(4):
        services.post_photo_add(actor=member, post=post, image=png(), alt_text=f"عکس {i}")
    services.post_submit(actor=member, post=post)
    return services.post_approve(actor=reviewer, post=post)


def telegram_row(post, operation="publish"):
    return Delivery.objects.get(post=post, channel__kind="telegram", operation=operation)


def again(box):
    Delivery.objects.filter(state__in=["pending", "retry"]).update(due_at=timezone.now())
    RateGate.objects.all().delete()  # the spacing itself is tested below
    return box.drain()


def test_the_album_and_its_text_are_two_requests_and_five_messages(box, script, album_post):
    box.drain()
    row = telegram_row(album_post)
    # The text waits out the channel's gap back in the queue, not in a worker's hands.
    assert row.state == "pending" and row.due_at > timezone.now()
    assert row.parts == [{"kind": "album", "ids": ["100"]}] and row.sending_started_at is None
    channel_gate = RateGate.objects.get(key__contains=":channel:")
    Delivery.objects.filter(pk=row.pk).update(due_at=timezone.now())
    channel_gate.next_at = timezone.now()
    channel_gate.save()
    box.drain()
    row.refresh_from_db()
    assert row.state == "sent"
    album, text = script.ops()
    assert album[3] == ""  # the caption stays empty: the text follows on its own
    assert text[3].startswith("آغاز ثبت‌نام بیمه")
    assert [p["kind"] for p in row.parts] == ["album", "text"]
    # The channel's gate counted every message: four photos and the text.
    channel_gate.refresh_from_db()
    assert len(channel_gate.recent) == 5


def test_a_rate_limit_on_the_text_retries_only_the_text(box, script, album_post):
    script.answers["telegram"] = [
        Result(Outcome.SENT, remote_id="11,12,13,14"),
        Result(Outcome.RETRY, retry_after=3, error="429 Too Many Requests: retry after 3"),
        Result(Outcome.SENT, remote_id="15"),
    ]
    box.drain()
    again(box)  # the text, after the channel's gap
    row = telegram_row(album_post)
    assert row.state == "retry"  # never unconfirmed: the album is recorded as out
    assert row.parts == [{"kind": "album", "ids": ["11", "12", "13", "14"]}]
    assert row.remote_id == "11,12,13,14"
    again(box)
    row.refresh_from_db()
    assert row.state == "sent" and row.remote_id == "11,12,13,14,15"
    assert len(script.ops()) == 3  # album once, the text twice (the refused try and the one)
    assert script.ops()[2][3] == script.ops()[1][3]


def test_withdrawing_a_post_cut_short_takes_its_photos_down(box, script, album_post, reviewer):
    script.answers["telegram"] = [
        Result(Outcome.SENT, remote_id="11,12,13,14"),
        Result(Outcome.RETRY, retry_after=3, error="429"),
        Result(Outcome.SENT),
    ]
    box.drain()
    again(box)
    services.post_withdraw(actor=reviewer, post=album_post, reason="اشتباه")
    assert telegram_row(album_post).state == "cancelled"
    again(box)
    assert script.ops("delete") == [("delete", "telegram", "@telegram_chat", "11,12,13,14")]
    assert telegram_row(album_post, "delete").state == "sent"


def test_a_delete_refused_for_its_age_has_its_own_state_and_a_notice_goes(
    box, script, album_post, reviewer
):
    box.drain()
    again(box)
    script.answers["telegram"] = [
        Result(Outcome.TOO_LATE, error="400 Bad Request: message can't be deleted"),
        Result(Outcome.SENT, remote_id="40"),
    ]
    services.post_withdraw(actor=reviewer, post=album_post, reason="اشتباه")
    again(box)
    delete = telegram_row(album_post, "delete")
    assert delete.state == "too_late"
    assert "۴۸ ساعت" in delete.last_error
    again(box)
    notice = telegram_row(album_post, "correction")
    assert notice.state == "sent" and notice.remote_id == "40"
    assert "پس گرفته شد" in script.ops()[-1][3]


@pytest.mark.parametrize("kind", ["telegram", "eitaa"])
def test_a_text_is_cut_to_the_limit_as_the_platform_counts(member, agency, channels, kind):
    platform = platform_for(kind)
    lead = "😀" * 5000  # two UTF-16 units each, one character
    post = services.post_create(
        actor=member, organisation=agency, title="عنوان", lead=lead, body="<p>متن</p>"
    )
    delivery = Delivery(post=post, channel=channels[kind], operation="publish")
    message = outbox.build_message(delivery, platform)
    length = platform.length(message.text)
    assert platform.text_limit - 1 <= length <= platform.text_limit
    assert message.text.endswith(message.link) and "…" in message.text


def test_cut_keeps_a_text_at_the_limit_and_cuts_one_over():
    telegram = platform_for("telegram")
    exact = "ب" * (telegram.text_limit - 2) + "😀"  # the emoji counts two
    assert telegram.cut(exact, telegram.text_limit) == exact
    over = "ب" * telegram.text_limit + "😀"
    cut = telegram.cut(over, telegram.text_limit)
    assert telegram.length(cut) == telegram.text_limit and cut.endswith("…")


def test_a_text_still_to_follow_its_photos_goes_even_if_it_now_fits_a_caption(
    box, script, album_post, reviewer
):
    """The photos went out without a caption; the text shortened meanwhile would fit one,
    but they are out: the text still follows them, and only the text."""
    script.answers["telegram"] = [
        Result(Outcome.SENT, remote_id="11,12,13,14"),
        Result(Outcome.RETRY, retry_after=3, error="429"),
        Result(Outcome.SENT, remote_id="15"),
    ]
    box.drain()
    again(box)  # the text is refused for a rate limit
    Post.objects.filter(pk=album_post.pk).update(lead="لید کوتاه")  # corrected meanwhile
    again(box)
    row = telegram_row(album_post)
    assert row.state == "sent" and row.remote_id == "11,12,13,14,15"
    assert "لید کوتاه" in script.ops()[-1][3]


def test_the_text_of_a_post_half_out_goes_ahead_of_new_posts(
    box, script, album_post, member, reviewer, agency, channels
):
    """Readers have its photos and wait for its text: once the channel's gap has passed,
    the text is claimed before posts that fell due earlier but have not started."""
    box.drain()
    row = telegram_row(album_post)
    assert row.parts and row.state == "pending"
    new = services.post_create(
        actor=member,
        organisation=agency,
        title="خبر تازه",
        lead="متن کوتاه",
        body="<p>متن</p>",
        channels=[channels["telegram"]],
    )
    services.post_submit(actor=member, post=new)
    services.post_approve(actor=reviewer, post=new)
    Delivery.objects.filter(post=new).update(due_at=timezone.now() - timedelta(hours=1))
    Delivery.objects.filter(pk=row.pk).update(due_at=timezone.now())
    [first] = outbox.claim("w", limit=1)
    assert first.pk == row.pk
