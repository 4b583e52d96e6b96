"""After a post went out, its reviewer corrects or withdraws it from one page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hamafza.network.models import Channel
from hamafza.publishing.models import (
    Delivery,
    DeliveryState,
    Operation,
    Post,
    PostStatus,
    PostTarget,
)


@pytest.fixture
def sent_post(agency, channels, member):
    post = Post.objects.create(
        organisation=agency,
        title="خبر با اشتباه",
        body="<p>متن نادرست</p>",
        created_by=member,
        status=PostStatus.SENT,
        published_at=timezone.now(),
    )
    for kind in ("website", "telegram"):
        PostTarget.objects.create(post=post, channel=channels[kind])
        Delivery.objects.create(
            post=post,
            channel=channels[kind],
            state=DeliveryState.SENT,
            remote_id="41",
            sent_at=timezone.now(),
        )
    return post


def test_a_correction_updates_the_site_and_queues_one_message_per_channel(
    login, reviewer, sent_post
):
    client = login(reviewer)
    page = client.get(f"/publishing/posts/{sent_post.pk}/correct/")
    assert page.status_code == 200
    assert "فرستادن اصلاحیه" in page.content.decode()
    response = client.post(
        f"/publishing/posts/{sent_post.pk}/correct/",
        {"title": "خبر درست", "lead": "", "body": "متن درست", "note": "تاریخ نشست اصلاح شد"},
    )
    assert response.status_code == 302
    sent_post.refresh_from_db()
    assert sent_post.title == "خبر درست"
    queued = Delivery.objects.filter(post__correction_of=sent_post)
    assert queued.count() >= 1  # the Telegram message: an edit (or a correction post)


def test_a_correction_without_saying_what_changed_keeps_the_text(login, reviewer, sent_post):
    response = login(reviewer).post(
        f"/publishing/posts/{sent_post.pk}/correct/",
        {"title": "خبر درست", "body": "متن درست", "note": ""},
    )
    assert response.status_code == 400
    assert "خبر درست" in response.content.decode()  # what was typed is still there
    sent_post.refresh_from_db()
    assert sent_post.title == "خبر با اشتباه"


def test_a_correction_is_written_in_the_formatting_markup(login, reviewer, sent_post):
    sent_post.body = "<p>متن <strong>پررنگ</strong></p>"
    sent_post.save(update_fields=["body"])
    client = login(reviewer)
    page = client.get(f"/publishing/posts/{sent_post.pk}/correct/").content.decode()
    assert "متن **پررنگ**</textarea>" in page and 'data-format="bold"' in page
    client.post(
        f"/publishing/posts/{sent_post.pk}/correct/",
        {"title": sent_post.title, "body": "متن **درست** و <نه>", "note": "اصلاح شد"},
    )
    sent_post.refresh_from_db()
    assert sent_post.body == "<p>متن <strong>درست</strong> و &lt;نه&gt;</p>"


def test_withdrawing_cancels_or_removes_everywhere(login, reviewer, sent_post):
    response = login(reviewer).post(
        f"/publishing/posts/{sent_post.pk}/withdraw/", {"reason": "خبر تکذیب شد"}
    )
    assert response.status_code == 302
    sent_post.refresh_from_db()
    assert sent_post.status == PostStatus.WITHDRAWN


def test_an_editor_cannot_correct_or_withdraw(login, member, sent_post):
    client = login(member)
    assert client.get(f"/publishing/posts/{sent_post.pk}/correct/").status_code == 403
    assert (
        client.post(f"/publishing/posts/{sent_post.pk}/withdraw/", {"reason": "x"}).status_code
        == 403
    )


def test_the_withdraw_form_says_what_happens_in_each_channel_and_then_does_it(
    login, reviewer, sent_post, channels
):
    """Telegram sent two days ago is past its 48 hours; Rubika deletes at any time; Eitaa's
    bots cannot delete; what has not gone yet is cancelled."""
    Delivery.objects.filter(post=sent_post, channel=channels["telegram"]).update(
        sent_at=timezone.now() - timedelta(hours=49)
    )
    for kind, state in (("rubika", DeliveryState.SENT), ("eitaa", DeliveryState.SENT)):
        PostTarget.objects.create(post=sent_post, channel=channels[kind])
        Delivery.objects.create(
            post=sent_post,
            channel=channels[kind],
            state=state,
            remote_id="7",
            sent_at=timezone.now(),
        )
    channels["instagram"] = Channel.objects.create(
        organisation=sent_post.organisation, kind="instagram", handle="behzisti.sb"
    )
    PostTarget.objects.create(post=sent_post, channel=channels["instagram"])
    Delivery.objects.create(
        post=sent_post, channel=channels["instagram"], state=DeliveryState.SENT, remote_id="9"
    )
    PostTarget.objects.create(post=sent_post, channel=channels["bale"])
    Delivery.objects.create(post=sent_post, channel=channels["bale"], state=DeliveryState.PENDING)
    client = login(reviewer)
    page = client.get(f"/publishing/posts/{sent_post.pk}/correct/").content.decode()
    plan = page[page.index('class="withdrawal-plan"') :]
    plan = plan[: plan.index("</ul>")]
    lines = {
        kind: line
        for line in plan.split("<li>")[1:]
        for kind in channels
        if f">{channels[kind].get_kind_display()}<" in line
    }
    assert "مهلت حذف گذشته" in lines["telegram"]
    assert "پیام حذف می‌شود." in lines["rubika"]
    assert "نمی‌پذیرد" in lines["eitaa"]
    assert "لغو می‌شود" in lines["bale"]
    assert "برداشته می‌شود" in lines["website"]
    assert "خودتان حذف کنید" in lines["instagram"]  # no bot delete, and no notice can go

    client.post(f"/publishing/posts/{sent_post.pk}/withdraw/", {"reason": "خبر تکذیب شد"})
    fixes = dict(
        Delivery.objects.filter(post=sent_post)
        .exclude(operation=Operation.PUBLISH)
        .values_list("channel__kind", "operation")
    )
    assert fixes == {
        "website": Operation.DELETE,
        "telegram": Operation.CORRECTION,
        "rubika": Operation.DELETE,
        "eitaa": Operation.CORRECTION,
        "instagram": Operation.CORRECTION,  # the outbox leaves it to a person (its note)
    }
