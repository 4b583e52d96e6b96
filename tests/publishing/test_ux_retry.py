"""A post's status says what went where, and a refused delivery goes again in one click."""

import pytest

from hamafza.publishing import services
from hamafza.publishing.models import ChannelConnection, Delivery, DeliveryState
from hamafza.publishing.tokens import encrypt_token


@pytest.fixture
def approved(member, reviewer, agency, channels):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="خبر چهارکاناله",
        body="<p>متن</p>",
        channels=[channels[k] for k in ("website", "telegram", "bale", "eitaa")],
    )
    services.post_submit(actor=member, post=post)
    return services.post_approve(actor=reviewer, post=post)


def connect(channel):
    ChannelConnection.objects.create(
        channel=channel, chat_id="@x", token_encrypted=encrypt_token("t")
    )


def test_a_partly_failed_post_is_not_shown_as_published(login, member, approved, channels):
    Delivery.objects.filter(channel=channels["website"]).update(state=DeliveryState.SENT)
    Delivery.objects.exclude(channel=channels["website"]).update(state=DeliveryState.FAILED)
    approved.status = "sent"
    approved.save(update_fields=["status"])
    client = login(member)
    for url in ("/publishing/", f"/publishing/posts/{approved.pk}/"):
        page = client.get(url).content.decode()
        assert "منتشر در ۱ از ۴ کانال؛ ۳ ناموفق" in page
        assert "منتشرشده" not in page.split("status-partial")[1][:200]


def test_retry_puts_a_failed_delivery_back_keeping_the_album_that_went(
    login, member, approved, channels
):
    connect(channels["telegram"])
    row = Delivery.objects.get(channel=channels["telegram"])
    parts = [{"kind": "album", "ids": ["1", "2"]}]
    Delivery.objects.filter(pk=row.pk).update(state=DeliveryState.FAILED, attempts=5, parts=parts)
    client = login(member)
    client.post(f"/publishing/deliveries/{row.pk}/retry/")
    again = client.post(f"/publishing/deliveries/{row.pk}/retry/", follow=True)  # a double click
    row.refresh_from_db()
    assert row.state == DeliveryState.PENDING and row.attempts == 0 and row.parts == parts
    assert "ناموفق نیست" in again.content.decode()


def test_retry_is_refused_on_a_channel_without_a_bot_with_a_link_to_connect(
    login, owner, approved, channels
):
    row = Delivery.objects.get(channel=channels["bale"])
    Delivery.objects.filter(pk=row.pk).update(state=DeliveryState.FAILED)
    page = login(owner).post(f"/publishing/deliveries/{row.pk}/retry/", follow=True)
    text = page.content.decode()
    assert (
        "وصل نشده است" in text
        and f"/publishing/organisations/{approved.organisation_id}/channels/" in text
    )
    row.refresh_from_db()
    assert row.state == DeliveryState.FAILED


def test_retry_all_failed_retries_the_connected_and_names_the_rest(
    login, member, approved, channels
):
    connect(channels["telegram"])
    Delivery.objects.exclude(channel=channels["website"]).update(state=DeliveryState.FAILED)
    page = login(member).post(f"/publishing/posts/{approved.pk}/retry-failed/", follow=True)
    states = dict(Delivery.objects.values_list("channel__kind", "state"))
    assert states["telegram"] == "pending" and states["bale"] == "failed"
    assert "منتظر می‌مانند" in page.content.decode()


def test_the_queue_page_lists_channels_never_connected(login, admin_user, approved, channels):
    Delivery.objects.filter(channel=channels["bale"]).update(state=DeliveryState.CREDENTIALS)
    page = login(admin_user).get("/publishing/queue/").content.decode()
    assert "هیچ‌گاه به ربات وصل نشده است" in page
    assert "همه اتصال‌ها برقرارند" not in page
