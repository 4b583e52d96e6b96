"""Silent («بی‌صدا») and pinned («سنجاق») posts: offered only for the channels whose
platform has them, sent with the platform's own flag, pinned after sending where that is a
call of its own; a refused pin is a note on a delivery that went out, and no retry ever
sends the post again to pin it."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hamafza.core.models import AuditEntry
from hamafza.network.models import Channel
from hamafza.publishing import outbox, services
from hamafza.publishing.models import Delivery
from hamafza_fakes import FakeEitaa, FakeTelegram

LONG_LEAD = "ثبت‌نام بیمه روستاییان و عشایر در همه شهرستان‌ها آغاز شد. " * 25


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(shade: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (shade, 80, 120)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), "image/png")


def settle(box, *, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while Delivery.objects.filter(state__in=["pending", "retry", "leased"]).exists():
        assert time.monotonic() < deadline, "the outbox did not settle"
        box.drain()
        time.sleep(0.05)


def approved(member, reviewer, agency, channel, *, photos=0, lead="کوتاه", **options):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="آغاز ثبت‌نام",
        lead=lead,
        body="<p>متن</p>",
        channels=[channel],
        **options,
    )
    for i in range(photos):
        services.post_photo_add(actor=member, post=post, image=png(40 * i), alt_text=f"عکس {i}")
    services.post_submit(actor=member, post=post)
    return services.post_approve(actor=reviewer, post=post)


@pytest.fixture
def telegram():
    with FakeTelegram() as api:
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


# --- the composer -----------------------------------------------------------------------


def test_the_options_are_offered_only_where_a_channel_has_them(login, member, agency):
    Channel.objects.create(organisation=agency, kind="bale", handle="@behzisti_sb")
    Channel.objects.create(organisation=agency, kind="website", handle="behzisti.example.ir")
    client = login(member)
    page = client.get(f"/publishing/organisations/{agency.pk}/new/").content.decode()
    assert 'name="pin"' in page  # Bale pins (pinChatMessage)
    assert 'name="silent"' not in page  # and has no silent posts
    Channel.objects.create(organisation=agency, kind="rubika", handle="c0BXyz12aB3cd")
    page = client.get(f"/publishing/organisations/{agency.pk}/new/").content.decode()
    assert 'name="silent"' in page


def test_a_silent_post_warns_about_the_ticked_channel_that_rings_anyway(
    login, member, agency, channels
):
    client = login(member)
    response = client.post(
        f"/publishing/organisations/{agency.pk}/new/",
        {
            "kind": "news",
            "title": "اطلاعیه",
            "body": "متن",
            "when": "now",
            "channels": [channels["bale"].pk, channels["telegram"].pk],
            "silent": "on",
            "pin": "on",
            "action": "save",
        },
    )
    post = agency.posts.get()
    assert (post.silent, post.pin) == (True, True)
    page = client.get(response["Location"]).content.decode()
    assert "بله ارسال بی‌صدا ندارد" in page
    assert "تلگرام ارسال بی‌صدا ندارد" not in page


# --- the outbox -------------------------------------------------------------------------------


def test_a_silent_pinned_post_goes_without_a_sound_and_is_pinned_after(
    connected, telegram, member, reviewer, agency, channels
):
    post = approved(member, reviewer, agency, channels["telegram"], silent=True, pin=True)
    settle(outbox.Outbox("pin"))
    row = Delivery.objects.get(post=post, operation="publish")
    assert row.state == "sent" and row.pinned_at is not None and row.pin_note == ""
    [message] = telegram.messages("@behzisti_sb")
    assert message["silent"] is True and message["pinned"] is True
    [pin] = telegram.calls_to("pinChatMessage")
    assert str(pin.params["message_id"]) == row.remote_id
    assert pin.params["disable_notification"] is True  # no "pinned" ring either


def test_a_refused_pin_is_a_note_and_the_post_is_not_sent_again(
    connected, telegram, member, reviewer, agency, channels
):
    telegram.set_rights("@behzisti_sb", can_edit_messages=False)
    post = approved(member, reviewer, agency, channels["telegram"], pin=True)
    box = outbox.Outbox("pin")
    settle(box)
    box.drain()
    row = Delivery.objects.get(post=post, operation="publish")
    assert row.state == "sent" and row.pinned_at is None
    assert "مطلب رفت اما سنجاق نشد" in row.pin_note
    assert "not enough rights to pin a message" in row.pin_note
    assert len(telegram.calls_to("sendMessage")) == 1
    assert len(telegram.messages("@behzisti_sb")) == 1
    assert row.channel.connection.state == "ok"  # the bot may still post
    assert AuditEntry.objects.filter(action="publishing.delivery.pin_failed").count() == 1
    post.refresh_from_db()
    assert post.status == "sent"


@pytest.mark.slow
def test_a_post_cut_short_is_pinned_once_when_its_rest_goes_and_nothing_goes_twice(
    connected, telegram, member, reviewer, agency, channels
):
    post = approved(
        member, reviewer, agency, channels["telegram"], photos=2, lead=LONG_LEAD, pin=True
    )
    telegram.answer_500(method="sendMessage")  # the album goes, its text does not
    box = outbox.Outbox("pin")
    deadline = time.monotonic() + 15
    while (row := Delivery.objects.get(post=post, operation="publish")).state != "sent":
        assert time.monotonic() < deadline, row.state
        if row.state == "retry":
            assert row.parts and not telegram.calls_to("pinChatMessage")  # not before all
            Delivery.objects.filter(pk=row.pk).update(due_at=row.created_at)  # no backoff
        box.drain()
        time.sleep(0.05)
    assert row.pinned_at is not None
    assert [c.status for c in telegram.calls_to("sendMessage")] == [500, 200]
    assert len(telegram.calls_to("sendMediaGroup")) == 1
    [pin] = telegram.calls_to("pinChatMessage")
    assert str(pin.params["message_id"]) == row.remote_id.split(",")[0]  # the album's first


def test_eitaa_pins_and_silences_with_the_posting_request_itself(
    owner, member, reviewer, agency, channels
):
    with FakeEitaa() as eitaa:
        services.channel_connect(
            actor=owner,
            channel=channels["eitaa"],
            token="eitaa-token",
            chat_id="behzisti_sb",
            base_url=eitaa.base_url,
        )
        post = approved(member, reviewer, agency, channels["eitaa"], silent=True, pin=True)
        settle(outbox.Outbox("pin"))
        row = Delivery.objects.get(post=post, operation="publish")
        assert row.state == "sent" and row.pinned_at is not None
        [call] = eitaa.calls_to("sendMessage")
        assert call.params["pin"] == "1" and call.params["disable_notification"] == "1"
        [message] = eitaa.messages("behzisti_sb")
        assert message["pinned"] is True and message["silent"] is True


def test_a_post_without_the_options_rings_and_is_not_pinned(
    connected, telegram, member, reviewer, agency, channels
):
    post = approved(member, reviewer, agency, channels["telegram"])
    settle(outbox.Outbox("pin"))
    [call] = telegram.calls_to("sendMessage")
    assert "disable_notification" not in call.params
    assert not telegram.calls_to("pinChatMessage")
    assert Delivery.objects.get(post=post, operation="publish").pinned_at is None
