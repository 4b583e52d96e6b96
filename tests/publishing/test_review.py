"""A post goes from the editor through the reviewer to the outbox."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamafza.core.models import AuditEntry
from hamafza.publishing import services
from hamafza.publishing.models import Delivery, PostStatus
from hamafza_fakes import FakeTelegram


@pytest.fixture
def draft(member, agency, channels):
    return services.post_create(
        actor=member,
        organisation=agency,
        title="برگزاری دوره خبرنویسی",
        body="<p>متن خبر</p><script>alert(1)</script>",
        channels=list(channels.values()),
    )


def test_the_body_is_sanitised(draft):
    assert "<script>" not in draft.body
    assert "<p>متن خبر</p>" in draft.body


def test_approval_creates_one_delivery_per_channel_once(draft, member, reviewer):
    services.post_submit(actor=member, post=draft)
    services.post_approve(actor=reviewer, post=draft)
    assert Delivery.objects.filter(post=draft).count() == 5
    with pytest.raises(ValidationError):  # approving again is refused, and makes nothing
        services.post_approve(actor=reviewer, post=draft)
    assert Delivery.objects.filter(post=draft).count() == 5
    assert AuditEntry.objects.filter(action="publishing.post.approved", actor=reviewer).exists()


def test_an_editor_cannot_approve_and_another_agency_cannot_touch(draft, member, other_owner):
    services.post_submit(actor=member, post=draft)
    with pytest.raises(PermissionDenied):
        services.post_approve(actor=member, post=draft)
    with pytest.raises(PermissionDenied):
        services.post_return(actor=other_owner, post=draft, comment="نه")


def test_a_returned_post_carries_the_comment_and_can_be_edited_again(draft, member, reviewer):
    services.post_submit(actor=member, post=draft)
    services.post_return(actor=reviewer, post=draft, comment="عنوان را کوتاه کنید")
    draft.refresh_from_db()
    assert (draft.status, draft.review_comment) == (PostStatus.RETURNED, "عنوان را کوتاه کنید")
    services.post_update(actor=member, post=draft, title="دوره خبرنویسی")


def test_channels_of_another_organisation_are_refused(member, agency, other_agency):
    from hamafza.network.models import Channel

    foreign = Channel.objects.create(organisation=other_agency, kind="bale", handle="@tamin")
    with pytest.raises(ValidationError):
        services.post_create(
            actor=member, organisation=agency, title="x", body="y", channels=[foreign]
        )


def test_a_connection_cannot_point_the_worker_at_an_arbitrary_server(owner, channels, settings):
    settings.PUBLISHING_ALLOW_LOCAL_API = False
    for address in ("http://api.telegram.org", "https://evil.example.com", "http://127.0.0.1:9"):
        with pytest.raises(ValidationError):
            services.channel_connect(
                actor=owner,
                channel=channels["telegram"],
                token="1:a",
                chat_id="@c",
                base_url=address,
            )
    from hamafza.publishing.platforms.registry import platform_for

    services._check_api_address("https://tapi.bale.ai", platform_for("bale"))  # its own host
    with pytest.raises(ValidationError):  # a Bale token is never sent to Telegram, nor back
        services._check_api_address("https://api.telegram.org", platform_for("bale"))


def test_the_composer_warns_about_channels_no_bot_is_connected_to(owner, channels):
    from hamafza.publishing import limits

    with FakeTelegram() as api:
        services.channel_connect(
            actor=owner,
            channel=channels["telegram"],
            token="1:a",
            chat_id="@behzisti_sb",
            base_url=api.base_url,
        )
    found = limits.problems(
        channels=[channels["telegram"], channels["bale"], channels["website"]],
        title="t",
        lead="",
        body_text="b",
        variants={},
        photo_count=0,
    )
    unconnected = [p for p in found if "به ربات وصل نیست" in p.message]
    assert [p.channel_id for p in unconnected] == [channels["bale"].pk]
