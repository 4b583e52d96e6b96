"""Deliveries, channel connections and the queue's health, through the pages."""

import pytest
from django.utils import timezone

from hamafza.core.models import AuditEntry
from hamafza.publishing import services
from hamafza.publishing.models import ChannelConnection, Delivery, DeliveryState, PostStatus
from hamafza.publishing.tokens import decrypt_token
from hamafza_fakes import FakeTelegram

TOKEN = "123456:AAE-secret-bot-token"


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def approved(member, reviewer, agency, channels):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="خبر تأییدشده",
        body="<p>متن</p>",
        channels=[channels["telegram"], channels["eitaa"]],
    )
    services.post_submit(actor=member, post=post)
    return services.post_approve(actor=reviewer, post=post)


def test_the_delivery_page_says_each_channels_state(login, member, approved, channels):
    Delivery.objects.filter(channel=channels["telegram"]).update(
        state=DeliveryState.SENT,
        attempts=1,
        sent_at=timezone.now(),
        remote_url="https://t.me/behzisti_sb/42",
    )
    Delivery.objects.filter(channel=channels["eitaa"]).update(
        state=DeliveryState.CREDENTIALS, attempts=2, last_error="401 Unauthorized"
    )
    page = text(login(member).get(f"/publishing/posts/{approved.pk}/deliveries/"))
    assert "https://t.me/behzisti_sb/42" in page
    assert "ارسال‌شده" in page and "اتصال خراب" in page
    assert "دوباره وصل کند" in page  # what to do, in Persian
    assert "401 Unauthorized" in page  # the technical detail, tucked away


def test_a_reviewer_settles_an_unconfirmed_send_as_posted_with_its_link(
    login, reviewer, approved, channels
):
    delivery = Delivery.objects.get(channel=channels["telegram"])
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.UNCONFIRMED)
    client = login(reviewer)
    page = text(client.get(f"/publishing/posts/{approved.pk}/deliveries/"))
    assert "منتشر شده بود" in page and "دوباره بفرست" in page
    response = client.post(
        f"/publishing/deliveries/{delivery.pk}/resolve/",
        {"outcome": "posted", "remote_url": "https://t.me/behzisti_sb/7"},
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert delivery.remote_url == "https://t.me/behzisti_sb/7"
    assert AuditEntry.objects.filter(action="publishing.delivery.resolved", actor=reviewer).exists()


def test_a_reviewer_sends_an_unconfirmed_post_again(login, reviewer, approved, channels):
    delivery = Delivery.objects.get(channel=channels["telegram"])
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.UNCONFIRMED, attempts=3)
    response = login(reviewer).post(
        f"/publishing/deliveries/{delivery.pk}/resolve/", {"outcome": "resend"}
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 0


def test_only_reviewers_resolve(login, member, approved, channels):
    delivery = Delivery.objects.get(channel=channels["telegram"])
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.UNCONFIRMED)
    client = login(member)
    response = client.post(f"/publishing/deliveries/{delivery.pk}/resolve/", {"outcome": "posted"})
    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.UNCONFIRMED  # nothing changed


def test_pr_manager_connects_a_bot_and_the_token_is_never_shown(login, owner, agency, channels):
    client = login(owner)
    page = text(client.get(f"/publishing/organisations/{agency.pk}/channels/"))
    assert "وصل کردن ربات" in page
    # The site needs no bot: no connection for it (it is only among the default channels).
    assert f'id="conn-{channels["website"].pk}"' not in page
    assert f'id="conn-{channels["telegram"].pk}"' in page
    telegram = channels["telegram"]
    with FakeTelegram() as api:
        response = client.post(
            f"/publishing/channels/{telegram.pk}/connect/",
            {
                f"c{telegram.pk}-token": TOKEN,
                f"c{telegram.pk}-chat_id": "@behzisti_sb",
                f"c{telegram.pk}-base_url": api.base_url,
            },
        )
    assert response.status_code == 302
    assert [c.method for c in api.calls] == ["getMe", "getChatMember"]
    connection = ChannelConnection.objects.get(channel=telegram)
    assert decrypt_token(connection.token_encrypted) == TOKEN
    page = text(client.get(f"/publishing/organisations/{agency.pk}/channels/"))
    assert TOKEN not in page and connection.token_encrypted not in page
    assert "وصل از" in page and "برقرار" in page
    ChannelConnection.objects.filter(pk=connection.pk).update(
        state="broken", last_error="ربات از کانال بیرون شده"
    )
    page = text(client.get(f"/publishing/organisations/{agency.pk}/channels/"))
    assert "خراب" in page and "ربات از کانال بیرون شده" in page


def test_connecting_needs_both_token_and_chat_id(login, owner, channels):
    bale = channels["bale"]
    response = login(owner).post(
        f"/publishing/channels/{bale.pk}/connect/", {f"c{bale.pk}-token": TOKEN}
    )
    assert response.status_code == 400
    assert not ChannelConnection.objects.exists()


def test_editors_and_other_agencies_cannot_connect(login, member, other_owner, agency, channels):
    telegram = channels["telegram"]
    data = {f"c{telegram.pk}-token": TOKEN, f"c{telegram.pk}-chat_id": "@x"}
    assert login(member).get(f"/publishing/organisations/{agency.pk}/channels/").status_code == 403
    assert (
        login(member).post(f"/publishing/channels/{telegram.pk}/connect/", data).status_code == 403
    )
    assert (
        login(other_owner).post(f"/publishing/channels/{telegram.pk}/connect/", data).status_code
        == 404
    )
    assert not ChannelConnection.objects.exists()


def test_queue_health_for_network_admins_only(login, admin_user, owner, approved, channels):
    Delivery.objects.filter(channel=channels["eitaa"]).update(state=DeliveryState.UNCONFIRMED)
    ChannelConnection.objects.create(
        channel=channels["bale"],
        chat_id="@b",
        token_encrypted="x",
        state="broken",
        last_error="401",
    )
    page = text(login(admin_user).get("/publishing/queue/"))
    assert "در صف" in page and "نامعلوم" in page
    assert approved.title in page  # the unconfirmed one, to check
    assert "بله" in page  # the broken connection
    assert login(owner).get("/publishing/queue/").status_code == 403


def test_approved_post_is_approved(approved):
    assert approved.status == PostStatus.APPROVED


def test_resolving_through_the_real_service(login, reviewer, approved, channels):
    delivery = Delivery.objects.get(channel=channels["telegram"])
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.UNCONFIRMED)
    client = login(reviewer)
    response = client.post(f"/publishing/deliveries/{delivery.pk}/resolve/", {"outcome": "resend"})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING
