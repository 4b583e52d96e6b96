"""After a post went out, its reviewer corrects or withdraws it from one page."""

import pytest
from django.utils import timezone

from hamafza.publishing.models import Delivery, DeliveryState, Post, PostStatus, PostTarget


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
