"""Instagram through the outbox, the site really serving the photo (a live server) and the
local Graph API fetching it: a post goes out once, even when the worker dies between the
container and the publication or loses the publication's answer; a full day waits,
never fails; the composer refuses what Instagram cannot take; a withdrawal leaves a note
to delete the post by hand."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from hamafza.network.models import AudienceSnapshot, Channel
from hamafza.publishing import audience, outbox, services
from hamafza.publishing.models import Delivery, PostStatus, RateGate
from hamafza.publishing.platforms.registry import build_adapter
from hamafza_fakes import FakeInstagram

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ACCOUNT = "17841400000000001"
TOKEN = "EAAG-outbox-secret"


@pytest.fixture(autouse=True)
def _site(settings, tmp_path, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_SITE_URL = live_server.url


@pytest.fixture
def api():
    with FakeInstagram(processing_seconds=0.1, chats={ACCOUNT: {"members": 812}}) as fake:
        yield fake


@pytest.fixture
def instagram(agency, owner, api):
    channel = Channel.objects.create(organisation=agency, kind="instagram", handle="@behzisti_sb")
    services.channel_connect(
        actor=owner, channel=channel, token=TOKEN, chat_id=ACCOUNT, base_url=api.base_url
    )
    return channel


@pytest.fixture
def website(agency):
    return Channel.objects.create(organisation=agency, kind="website", handle="behzisti.ir")


def jpeg(width=48, height=40) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), "image/png")


def written(member, agency, channels, *, photos=1, lead="ثبت‌نام بیمه روستاییان آغاز شد."):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="آغاز ثبت‌نام",
        lead=lead,
        body="<p>متن</p>",
        channels=channels,
    )
    for i in range(photos):
        services.post_photo_add(actor=member, post=post, image=jpeg(), alt_text=f"عکس {i}")
    return post


def approved(member, reviewer, agency, channels, **kwargs):
    post = written(member, agency, channels, **kwargs)
    services.post_submit(actor=member, post=post)
    return services.post_approve(actor=reviewer, post=post)


def box(**kwargs):
    def adapter_for(channel, connection):
        adapter = build_adapter(
            channel.kind,
            base_url=connection.base_url,
            token=TOKEN,
            chat_id=connection.chat_id,
            timeout=kwargs.get("timeout", 5.0),
        )
        adapter.poll_pause = 0.05
        return adapter

    return outbox.Outbox("instagram-test", adapter_for=adapter_for, sleep=lambda s: None)


def gap_waited_out():
    """Ten seconds later: the channel's gap between two requests (the rate gates) is over."""
    RateGate.objects.all().delete()


def row(post, channel):
    return Delivery.objects.get(post=post, channel=channel, operation="publish")


def test_a_post_goes_to_instagram_with_its_photo_fetched_from_the_site(
    instagram, website, api, member, reviewer, agency, live_server
):
    post = approved(member, reviewer, agency, [instagram, website])
    photo = post.photos.get()
    box().drain()
    delivery = row(post, instagram)
    assert delivery.state == "sent", delivery.last_error
    (published,) = api.published(ACCOUNT)
    assert delivery.remote_id == published["message_id"]
    assert delivery.remote_url.startswith("https://www.instagram.com/p/")
    assert delivery.prepared == api.calls_to("media_publish")[0].params["creation_id"]
    assert "آغاز ثبت‌نام" in published["caption"]
    (fetched,) = api.fetched
    assert fetched["url"] == live_server.url + photo.image.url
    assert fetched["status"] == 200 and fetched["type"] == "image/jpeg"
    with photo.image.open("rb") as stored:
        assert fetched["bytes"] == stored.read()
    post.refresh_from_db()
    assert post.status == PostStatus.SENT


def test_the_photo_is_public_only_while_instagram_fetches_it(
    instagram, api, member, reviewer, agency, live_server
):
    """A post for Instagram alone is never on the site: its photo is served to the
    crawler while the delivery is under way, and is private before and after."""
    post = written(member, agency, [instagram])
    url = post.photos.get().image.url
    assert Client().get(url).status_code == 404  # a draft
    services.post_submit(actor=member, post=post)
    services.post_approve(actor=reviewer, post=post)
    box().drain()
    assert row(post, instagram).state == "sent"
    assert api.fetched[0]["status"] == 200
    assert Client().get(url).status_code == 404  # out on Instagram, not on the site


def test_a_worker_dying_between_container_and_publication_posts_once(
    instagram, api, member, reviewer, agency, monkeypatch
):
    post = approved(member, reviewer, agency, [instagram])

    def die(*args, **kwargs):
        raise SystemExit("the worker was killed")

    with monkeypatch.context() as patched:
        patched.setattr(outbox, "mark_sending", die)
        with pytest.raises(SystemExit):
            box().drain()
    delivery = row(post, instagram)
    assert delivery.state == "leased" and delivery.prepared  # the container was kept
    assert api.calls_to("media_publish") == []
    Delivery.objects.filter(pk=delivery.pk).update(lease_until=timezone.now() - timedelta(1))
    assert outbox.sweep()["returned"] == 1  # nothing had gone out: back in the queue
    gap_waited_out()
    box().drain()
    delivery.refresh_from_db()
    assert delivery.state == "sent"
    assert len(api.calls_to("media")) == 1  # the same container
    assert [c.params["creation_id"] for c in api.calls_to("media_publish")] == [delivery.prepared]
    assert len(api.published(ACCOUNT)) == 1


def test_a_lost_answer_checked_by_a_person_as_not_there_is_not_posted_twice(
    instagram, api, member, reviewer, agency, owner, monkeypatch
):
    """The publication went out and its answer was lost; a person, not finding it yet,
    says "send again": the kept container says PUBLISHED, so nothing is posted again."""
    post = approved(member, reviewer, agency, [instagram])
    api.hang(seconds=2, method="media_publish")
    from hamafza.publishing.platforms.instagram import InstagramAdapter

    monkeypatch.setattr(InstagramAdapter, "_look_up", lambda self, container, lost: lost)
    box(timeout=0.3).drain()
    delivery = row(post, instagram)
    assert delivery.state == "unconfirmed"
    monkeypatch.undo()
    services.delivery_resolve(actor=owner, delivery=delivery, sent=False)
    gap_waited_out()
    box().drain()
    delivery.refresh_from_db()
    assert delivery.state == "sent"
    assert len(api.calls_to("media_publish")) == 1
    assert len(api.published(ACCOUNT)) == 1


def test_a_full_day_waits_without_failing_and_goes_when_the_window_allows(
    instagram, api, member, reviewer, agency
):
    api.publish_elsewhere(ACCOUNT, 100)  # the account's cap, used by another tool
    post = approved(member, reviewer, agency, [instagram])
    worker = box()
    for _ in range(12):  # more than MAX_ATTEMPTS comings back
        worker.drain()
        delivery = row(post, instagram)
        assert delivery.state == "retry" and delivery.attempts == 0
        assert delivery.due_at > timezone.now() + timedelta(minutes=25)
        assert "سقف انتشار روزانه" in delivery.last_error
        Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())
    assert api.calls_to("media_publish") == [] and len(api.calls_to("media")) == 1
    api.advance(24 * 3600 + 1)  # the oldest posts leave the 24 hours
    gap_waited_out()
    worker.drain()
    delivery.refresh_from_db()
    assert delivery.state == "sent"
    assert len(api.published(ACCOUNT)) == 1


def test_a_withdrawal_leaves_a_note_to_delete_the_post_by_hand(
    instagram, api, member, reviewer, agency, owner
):
    post = approved(member, reviewer, agency, [instagram])
    box().drain()
    url = row(post, instagram).remote_url
    calls = len(api.calls)
    services.post_withdraw(actor=owner, post=post, reason="خطا")
    gap_waited_out()
    box().drain()
    notice = Delivery.objects.get(post=post, channel=instagram, operation="correction")
    assert notice.state == "failed"
    assert "با دست" in notice.last_error and url in notice.last_error
    assert len(api.calls) == calls  # nothing asked of Instagram
    assert len(api.published(ACCOUNT)) == 1


def test_the_audience_is_the_accounts_followers(instagram, api):
    assert audience.audience_collect()["recorded"] == 1
    assert AudienceSnapshot.objects.get(channel=instagram).members == 812


def test_a_connection_is_refused_without_a_public_https_site(owner, agency, api, settings):
    channel = Channel.objects.create(organisation=agency, kind="instagram", handle="@b")
    settings.PUBLIC_SITE_URL = "http://news.example.ir"
    with pytest.raises(ValidationError) as refused:
        services.channel_connect(
            actor=owner, channel=channel, token=TOKEN, chat_id=ACCOUNT, base_url=api.base_url
        )
    assert "https" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.channel_connect(
            actor=owner, channel=channel, token=TOKEN, chat_id="@behzisti", base_url=api.base_url
        )
    assert "عددی" in str(refused.value)
    assert api.calls == []


def test_a_bad_token_is_refused_at_connection_in_persian(owner, agency, api):
    channel = Channel.objects.create(organisation=agency, kind="instagram", handle="@b")
    api.answer_401()
    with pytest.raises(ValidationError) as refused:
        services.channel_connect(
            actor=owner, channel=channel, token=TOKEN, chat_id=ACCOUNT, base_url=api.base_url
        )
    assert "توکن دسترسی اینستاگرام" in str(refused.value)


def test_the_composer_refuses_a_text_only_post_to_instagram(login, member, agency, instagram):
    client = login(member)
    response = client.post(
        f"/publishing/organisations/{agency.pk}/new/",
        {
            "kind": "news",
            "title": "خبر بی‌عکس",
            "lead": "",
            "body": "متن خبر.",
            "tags": "",
            "channels": [str(instagram.pk)],
            "when": "now",
            "action": "submit",
        },
    )
    assert response.status_code == 400
    assert "اینستاگرام نوشته بی‌عکس نمی‌پذیرد" in response.content.decode()


def test_submitting_with_a_photo_needs_a_public_https_site(member, agency, instagram, settings):
    post = written(member, agency, [instagram])
    settings.PUBLIC_SITE_URL = ""
    with pytest.raises(ValidationError) as refused:
        services.post_submit(actor=member, post=post)
    assert "PUBLIC_SITE_URL" in " ".join(refused.value.messages)
    settings.PUBLIC_SITE_URL = "https://news.example.ir"
    assert services.post_submit(actor=member, post=post).status == PostStatus.IN_REVIEW


def test_more_than_30_hashtags_are_refused_at_submission(member, agency, instagram):
    lead = " ".join(f"#برچسب{i}" for i in range(31))
    post = written(member, agency, [instagram], lead=lead)
    with pytest.raises(ValidationError) as refused:
        services.post_submit(actor=member, post=post)
    assert "۳۰ هشتگ" in " ".join(refused.value.messages)


def test_either_graph_host_may_be_named_but_no_other(owner, agency, settings):
    """Facebook Login tokens go to graph.facebook.com, Instagram Login ones to
    graph.instagram.com; the token is sent to no other host."""
    settings.PUBLISHING_ALLOW_LOCAL_API = False
    channel = Channel.objects.create(organisation=agency, kind="instagram", handle="@b")
    with pytest.raises(ValidationError) as refused:
        services.channel_connect(
            actor=owner,
            channel=channel,
            token=TOKEN,
            chat_id=ACCOUNT,
            base_url="https://graph.example.com",
        )
    assert "graph.instagram.com" in str(refused.value) and "graph.facebook.com" in str(
        refused.value
    )


def test_the_connections_page_asks_for_an_access_token_and_an_account_id(
    login, owner, agency, instagram
):
    page = login(owner).get(f"/publishing/organisations/{agency.pk}/channels/").content.decode()
    assert "توکن دسترسی (Access Token) اینستاگرام" in page
    assert "شناسه حساب اینستاگرام (Instagram User ID)" in page


def test_an_expired_token_breaks_the_connection_and_alerts_its_pr_managers(
    instagram, api, member, reviewer, agency, owner
):
    from hamafza.publishing.alerts import broken_connections
    from hamafza.publishing.models import ChannelConnection

    post = approved(member, reviewer, agency, [instagram])
    api.fail_next("expired")  # 190/463: Meta's long-lived tokens end after 60 days
    box().drain()
    delivery = row(post, instagram)
    assert delivery.state == "credentials" and "190" in delivery.last_error
    assert TOKEN not in delivery.last_error
    connection = ChannelConnection.objects.get(channel=instagram)
    assert connection.state == "broken"
    assert [s.channel for s in broken_connections(owner).context["stalled"]] == [connection.channel]
    assert api.published(ACCOUNT) == []


def test_a_photo_instagram_cannot_use_fails_with_the_reason_in_persian(
    instagram, api, member, reviewer, agency
):
    post = written(member, agency, [instagram])
    services.post_submit(actor=member, post=post)
    api.end_in_error("Error: 2207009")  # its processing ends in ERROR: the aspect ratio
    services.post_approve(actor=reviewer, post=post)
    box().drain()
    delivery = row(post, instagram)
    assert delivery.state == "failed" and "۴:۵" in delivery.last_error
    assert delivery.prepared == ""  # a retry makes a new container
    assert api.published(ACCOUNT) == []


def test_a_photo_too_wide_for_instagram_is_refused_at_submission(member, agency, instagram):
    post = written(member, agency, [instagram])
    services.post_photo_add(actor=member, post=post, image=jpeg(100, 40), alt_text="پهن")
    with pytest.raises(ValidationError) as refused:
        services.post_submit(actor=member, post=post)
    assert "میان ۰٫۸ و ۱٫۹۱ برابر بلندایش" in " ".join(refused.value.messages)
    assert "عکس ۲ بیرون از این اندازه است" in " ".join(refused.value.messages)
