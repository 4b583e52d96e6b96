"""The publishing pages, as editors and reviewers use them: compose, submit, approve or
return; and what each person may see and touch."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hamafza.core.models import AuditEntry
from hamafza.network.models import Channel
from hamafza.publishing import services
from hamafza.publishing.models import Delivery, Post, PostStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def text(response) -> str:
    return response.content.decode()


def compose_data(channels, **extra):
    data = {
        "kind": "news",
        "title": "برگزاری دوره خبرنویسی در زاهدان",
        "lead": "دوره دوروزه خبرنویسی برای کارکنان برگزار شد.",
        "body": "نخستین بند خبر.\r\n\r\nبند دوم خبر.",
        "tags": "آموزش، خبرنویسی",
        "channels": [str(c.pk) for c in channels],
        "when": "now",
    }
    data.update(extra)
    return data


@pytest.fixture
def draft(member, agency, channels):
    return services.post_create(
        actor=member,
        organisation=agency,
        title="برگزاری دوره خبرنویسی",
        body="<p>متن خبر</p>",
        channels=[channels["telegram"], channels["website"]],
    )


def test_editor_composes_saves_and_submits(login, member, agency, channels):
    client = login(member)
    page = client.get(f"/publishing/organisations/{agency.pk}/new/")
    assert page.status_code == 200
    assert "کانال‌های انتشار" in text(page)

    response = client.post(
        f"/publishing/organisations/{agency.pk}/new/",
        compose_data([channels["telegram"], channels["bale"]], action="save"),
    )
    post = Post.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/publishing/posts/{post.pk}/edit/"
    )
    assert post.status == PostStatus.DRAFT
    assert post.body == "<p>نخستین بند خبر.</p><p>بند دوم خبر.</p>"
    assert post.tags == ["آموزش", "خبرنویسی"]
    assert {t.channel.kind for t in post.targets.all()} == {"telegram", "bale"}

    # The edit page shows the paragraphs as typed, not HTML.
    edit = text(client.get(f"/publishing/posts/{post.pk}/edit/"))
    assert "نخستین بند خبر.\n\nبند دوم خبر." in edit

    response = client.post(
        f"/publishing/posts/{post.pk}/edit/",
        compose_data([channels["telegram"]], action="submit"),
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    assert AuditEntry.objects.filter(action="publishing.post.submitted", actor=member).exists()


def test_errors_keep_what_was_typed(login, member, agency, channels):
    client = login(member)
    response = client.post(
        f"/publishing/organisations/{agency.pk}/new/",
        compose_data([channels["telegram"]], title="", action="save", when="later"),
    )
    assert response.status_code == 400
    page = text(response)
    assert "بند دوم خبر." in page and "دوره دوروزه" in page
    assert "تاریخ و ساعت انتشار را بنویسید." in page
    assert not Post.objects.exists()


def test_scheduled_time_is_read_in_jalali(login, member, agency, channels):
    client = login(member)
    client.post(
        f"/publishing/organisations/{agency.pk}/new/",
        compose_data(
            [channels["telegram"]],
            action="save",
            when="later",
            publish_at_0="۱۴۳۰/۰۱/۱۵",
            publish_at_1="۰۹:۳۰",
        ),
    )
    post = Post.objects.get()
    from django.utils import timezone

    local = timezone.localtime(post.publish_at)
    assert (local.hour, local.minute) == (9, 30)


def test_submitting_without_channels_is_refused_beside_the_channels(
    login, member, agency, channels
):
    client = login(member)
    response = client.post(
        f"/publishing/organisations/{agency.pk}/new/", compose_data([], action="submit")
    )
    assert response.status_code == 400
    assert "دست‌کم یک کانال" in text(response)
    assert Post.objects.get().status == PostStatus.DRAFT  # the draft itself is kept


def test_reviewer_approves_and_sees_the_deliveries(login, member, reviewer, draft):
    services.post_submit(actor=member, post=draft)
    client = login(reviewer)
    queue = text(client.get("/publishing/review/"))
    assert draft.title in queue
    detail = text(client.get(f"/publishing/posts/{draft.pk}/"))
    assert "تأیید و انتشار" in detail
    response = client.post(f"/publishing/posts/{draft.pk}/approve/", {"confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/publishing/posts/{draft.pk}/deliveries/"
    draft.refresh_from_db()
    assert draft.status == PostStatus.APPROVED
    assert Delivery.objects.filter(post=draft).count() == 2
    page = text(client.get(response["Location"]))
    assert "در صف" in page and "تلگرام" in page


def test_reviewer_returns_with_a_comment_and_the_editor_sees_it(login, member, reviewer, draft):
    services.post_submit(actor=member, post=draft)
    client = login(reviewer)
    response = client.post(f"/publishing/posts/{draft.pk}/return/", {"comment": ""})
    assert response.status_code == 400
    response = client.post(f"/publishing/posts/{draft.pk}/return/", {"comment": "عنوان کوتاه شود"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PostStatus.RETURNED
    editor = login(member)
    home = text(editor.get("/"))
    assert "بازگشتی‌ها" in home and draft.title in home
    assert "عنوان کوتاه شود" in text(editor.get(f"/publishing/posts/{draft.pk}/edit/"))


def test_approval_warns_while_serious_findings_remain(login, member, reviewer, agency, channels):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="گزارش برگزاری",
        body="<p>این کار کار خوبی بود و خدمتگزاری ادامه دارد.</p>",
        channels=[channels["telegram"]],
    )
    services.post_submit(actor=member, post=post)
    client = login(reviewer)
    response = client.post(f"/publishing/posts/{post.pk}/approve/")
    assert response.status_code == 400
    assert "هشدارها را دیدم" in text(response)
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    assert client.post(f"/publishing/posts/{post.pk}/approve/", {"confirm": "1"}).status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED


def test_the_standard_opening_of_a_pr_news_needs_no_confirmation(
    login, member, reviewer, agency, channels
):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="برگزاری نشست",
        body=(
            "<p>به گزارش روابط عمومی اداره کل تعاون، کار و رفاه اجتماعی، "
            "نشست هم‌اندیشی مدیران برگزار شد.</p>"
        ),
        channels=[channels["telegram"]],
    )
    services.post_submit(actor=member, post=post)
    client = login(reviewer)
    page = text(client.get(f"/publishing/posts/{post.pk}/"))
    assert "عبارت تکراری خبرگزاری" not in page
    assert client.post(f"/publishing/posts/{post.pk}/approve/").status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED


def test_editor_cannot_approve_or_return(login, member, draft):
    services.post_submit(actor=member, post=draft)
    client = login(member)
    assert "تأیید و انتشار" not in text(client.get(f"/publishing/posts/{draft.pk}/"))
    assert (
        client.post(f"/publishing/posts/{draft.pk}/approve/", {"confirm": "1"}).status_code == 403
    )
    assert client.post(f"/publishing/posts/{draft.pk}/return/", {"comment": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == PostStatus.IN_REVIEW


def test_reviewer_cannot_edit_a_post(login, reviewer, draft):
    client = login(reviewer)
    assert client.get(f"/publishing/posts/{draft.pk}/edit/").status_code == 403


def test_another_agency_never_sees_or_touches_the_posts(login, other_owner, agency, draft, member):
    client = login(other_owner)
    for url in (
        f"/publishing/posts/{draft.pk}/",
        f"/publishing/posts/{draft.pk}/edit/",
        f"/publishing/posts/{draft.pk}/deliveries/",
        f"/publishing/organisations/{agency.pk}/",
        f"/publishing/organisations/{agency.pk}/new/",
        f"/publishing/organisations/{agency.pk}/channels/",
    ):
        assert client.get(url).status_code == 404, url
    for url in ("submit", "approve", "return"):
        assert (
            client.post(f"/publishing/posts/{draft.pk}/{url}/", {"comment": "x"}).status_code == 404
        )
    assert client.post(f"/publishing/posts/{draft.pk}/edit/", compose_data([])).status_code == 404
    assert draft.title not in text(client.get("/publishing/"))
    assert draft.title not in text(client.get("/publishing/review/"))
    draft.refresh_from_db()
    assert draft.status == PostStatus.DRAFT


def test_an_outsider_sees_nothing(login, outsider, draft):
    client = login(outsider)
    assert client.get(f"/publishing/posts/{draft.pk}/").status_code == 404
    assert draft.title not in text(client.get("/publishing/"))


def test_an_editor_cannot_post_to_another_agencys_channel(login, member, agency, other_agency):
    foreign = Channel.objects.create(organisation=other_agency, kind="bale", handle="@tamin")
    client = login(member)
    response = client.post(
        f"/publishing/organisations/{agency.pk}/new/", compose_data([foreign], action="save")
    )
    assert response.status_code == 400  # not one of the choices
    assert not Post.objects.exists()


def test_list_filters_by_status(login, member, draft, agency, channels):
    other = services.post_create(
        actor=member,
        organisation=agency,
        title="مطلب دوم",
        body="<p>دو</p>",
        channels=[channels["telegram"]],
    )
    services.post_submit(actor=member, post=other)
    client = login(member)
    page = text(client.get(f"/publishing/organisations/{agency.pk}/?status=in_review"))
    assert "مطلب دوم" in page and draft.title not in page


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_take_a_fixed_number_of_queries(login, member, reviewer, agency, channels):
    def add(n):
        for i in range(n):
            post = services.post_create(
                actor=member,
                organisation=agency,
                title=f"مطلب {i}",
                body="<p>متن</p>",
                channels=[channels["telegram"], channels["bale"]],
            )
            services.post_submit(actor=member, post=post)

    add(2)
    editor, reviewing = login(member), None
    few_list = _count(editor, "/publishing/")
    reviewing = login(reviewer)
    few_queue = _count(reviewing, "/publishing/review/")
    _count(reviewing, "/")  # warms what the first visit caches (content types, session)
    few_home = _count(reviewing, "/")
    add(8)
    assert _count(reviewing, "/publishing/review/") == few_queue
    assert _count(reviewing, "/") == few_home
    editor = login(member)
    assert _count(editor, "/publishing/") == few_list


def test_menu_and_cards_follow_the_roles(login, member, reviewer, outsider, admin_user, draft):
    services.post_submit(actor=member, post=draft)
    reviewer_home = text(login(reviewer).get("/"))
    assert "در انتظار بازبینی" in reviewer_home and draft.title in reviewer_home
    assert 'href="/publishing/review/"' in reviewer_home
    editor_home = text(login(member).get("/"))
    assert 'href="/publishing/"' in editor_home
    assert 'href="/publishing/review/"' not in editor_home
    assert 'href="/publishing/"' not in text(login(outsider).get("/"))
    assert 'href="/publishing/queue/"' in text(login(admin_user).get("/"))
