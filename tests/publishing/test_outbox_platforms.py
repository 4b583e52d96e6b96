"""The outbox with the real adapters, against the local platforms: an edit lands where the
text is (a photo's caption, or the text after the photos), the limits are kept counting
every message, and a connection is checked before it is saved."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hamafza.publishing import outbox, services
from hamafza.publishing.models import ChannelConnection, Delivery
from hamafza_fakes import FakeTelegram

LONG_LEAD = "ثبت‌نام بیمه روستاییان و عشایر در همه شهرستان‌ها آغاز شد. " * 25


def png(shade: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (shade, 80, 120)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), "image/png")


@pytest.fixture
def telegram():
    with FakeTelegram(enforce_limits=True) as api:
        yield api


@pytest.fixture
def connected(owner, channels, telegram):
    return services.channel_connect(
        actor=owner,
        channel=channels["telegram"],
        token="123:bot-token",
        chat_id="@behzisti_sb",
        base_url=telegram.base_url,
    )


def published(member, reviewer, agency, channel, *, lead: str, photos: int):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="آغاز ثبت‌نام",
        lead=lead,
        body="<p>متن</p>",
        channels=[channel],
    )
    for i in range(photos):
        services.post_photo_add(actor=member, post=post, image=png(40 * i), alt_text=f"عکس {i}")
    services.post_submit(actor=member, post=post)
    return services.post_approve(actor=reviewer, post=post)


def settle(box, *, within: float = 10.0) -> None:
    """Run the outbox as a worker would (rows wait for their time) until nothing is left
    to send."""
    deadline = time.monotonic() + within
    while Delivery.objects.filter(state__in=["pending", "retry", "leased"]).exists():
        assert time.monotonic() < deadline, "the outbox did not settle"
        box.drain()
        time.sleep(0.05)


@pytest.mark.slow
def test_an_album_and_its_text_go_within_every_limit(
    connected, telegram, member, reviewer, agency, channels
):
    post = published(member, reviewer, agency, channels["telegram"], lead=LONG_LEAD, photos=3)
    box = outbox.Outbox("platforms")  # real sleeps: the channel's gap is waited out
    settle(box)
    row = Delivery.objects.get(post=post, operation="publish")
    assert row.state == "sent" and len(row.remote_id.split(",")) == 4
    sends = [c for c in telegram.calls if c.method.startswith("send")]
    assert [c.method for c in sends] == ["sendMediaGroup", "sendMessage"]
    assert not any(c.rate_limited for c in telegram.calls)
    album, text = sends
    assert text.at - album.at >= telegram.PER_CHAT_GAP


@pytest.mark.slow
@pytest.mark.parametrize("lead, edited", [("لید کوتاه", "caption"), (LONG_LEAD, "text")])
def test_a_correction_edits_the_message_that_holds_the_text(
    connected, telegram, member, reviewer, agency, channels, lead, edited
):
    post = published(member, reviewer, agency, channels["telegram"], lead=lead, photos=2)
    box = outbox.Outbox("platforms")
    settle(box)
    services.post_correct(actor=reviewer, post=post, lead="لید درست‌شده")
    settle(box)
    method = {"caption": "editMessageCaption", "text": "editMessageText"}[edited]
    assert [c.method for c in telegram.calls if c.method.startswith("edit")] == [method]
    messages = telegram.messages("@behzisti_sb")
    holder = messages[0] if edited == "caption" else messages[-1]
    assert "لید درست‌شده" in holder.get("caption" if edited == "caption" else "text", "")


def test_a_connection_is_saved_only_once_the_platform_says_the_bot_may_post(
    owner, channels, telegram
):
    telegram.set_rights("@behzisti_sb", admin=False)
    with pytest.raises(ValidationError) as refused:
        services.channel_connect(
            actor=owner,
            channel=channels["telegram"],
            token="123:bot-token",
            chat_id="@behzisti_sb",
            base_url=telegram.base_url,
        )
    assert "مدیر این کانال نیست" in str(refused.value)
    assert not ChannelConnection.objects.exists()


def test_a_channel_id_of_the_wrong_form_is_refused_before_any_call(owner, channels, telegram):
    with pytest.raises(ValidationError) as refused:
        services.channel_connect(
            actor=owner,
            channel=channels["eitaa"],
            token="123:bot-token",
            chat_id="@behzisti_sb",
            base_url=telegram.base_url,
        )
    assert "بی «@»" in str(refused.value)
    assert telegram.calls == []
