"""The publishing API: a program does what an editor and a reviewer do on the pages,
under the same policy, and never reads a bot's token back."""

import io
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from hamafza.core.models import ApiToken
from hamafza.publishing import services
from hamafza.publishing.models import (
    ChannelConnection,
    ConnectionState,
    Delivery,
    DeliveryState,
    Post,
    PostStatus,
)
from hamafza.publishing.tokens import encrypt_token

SECRET = "7001234567:AAH-the-bots-secret-token-xyz"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Api:
    def __init__(self, user):
        _token, raw = ApiToken.issue(user=user, name="test")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path, **params):
        return self.client.get(f"/api/publishing{path}", params)

    def post(self, path, payload=None):
        return self.client.post(
            f"/api/publishing{path}", json.dumps(payload or {}), content_type="application/json"
        )

    def patch(self, path, payload):
        return self.client.patch(
            f"/api/publishing{path}", json.dumps(payload), content_type="application/json"
        )


@pytest.fixture
def draft(member, agency, channels):
    return services.post_create(
        actor=member,
        organisation=agency,
        title="برگزاری دوره خبرنویسی",
        body="<p>دوره خبرنویسی برای کارکنان برگزار شد.</p>",
        channels=[channels["telegram"], channels["website"]],
    )


@pytest.fixture
def in_review(draft, member):
    return services.post_submit(actor=member, post=draft)


def png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "teal").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "photo.png"
    return buffer


# ---- the whole way, through the API only ---------------------------------------------------


def test_editor_writes_and_reviewer_approves_through_the_api(
    db, member, reviewer, agency, channels
):
    editor = Api(member)
    created = editor.post(
        "/posts",
        {
            "organisation_id": agency.pk,
            "title": "افتتاح مرکز مشاوره",
            "lead": "مرکز مشاوره خانواده در زاهدان گشایش یافت.",
            "body": "بند نخست.\n\nبند **دوم**.",
            "tags": ["مشاوره"],
            "channel_ids": [channels["telegram"].pk, channels["website"].pk],
        },
    )
    assert created.status_code == 201, created.content
    post = created.json()
    assert post["status"] == "draft"
    assert {t["channel_id"] for t in post["targets"]} == {
        channels["telegram"].pk,
        channels["website"].pk,
    }
    assert "<strong>دوم</strong>" in post["body"]

    edited = editor.patch(f"/posts/{post['id']}", {"title": "گشایش مرکز مشاوره"})
    assert edited.status_code == 200 and edited.json()["title"] == "گشایش مرکز مشاوره"

    photo = editor.client.post(
        f"/api/publishing/posts/{post['id']}/photos",
        {"image": png(), "alt_text": "نمای ساختمان مرکز"},
    )
    assert photo.status_code == 201, photo.content
    assert photo.json()["alt_text"] == "نمای ساختمان مرکز"

    when = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    scheduled = editor.post(f"/posts/{post['id']}/schedule", {"publish_at": when.isoformat()})
    assert scheduled.status_code == 200, scheduled.content

    submitted = editor.post(f"/posts/{post['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"

    approved = Api(reviewer).post(f"/posts/{post['id']}/approve", {"confirm": True})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"

    deliveries = editor.get(f"/posts/{post['id']}/deliveries").json()
    assert {(d["channel_kind"], d["state"]) for d in deliveries} == {
        ("telegram", "pending"),
        ("website", "pending"),
    }
    assert all(d["due_at"].startswith(when.date().isoformat()) for d in deliveries)
    assert Post.objects.get(pk=post["id"]).photos.count() == 1


def test_reviewer_returns_with_a_reason_the_editor_reads(db, member, reviewer, in_review):
    response = Api(reviewer).post(f"/posts/{in_review.pk}/return", {"reason": "عنوان کوتاه شود"})

    assert response.status_code == 200
    seen = Api(member).get(f"/posts/{in_review.pk}").json()
    assert seen["status"] == "returned" and seen["review_comment"] == "عنوان کوتاه شود"


def test_a_return_without_a_reason_is_422_in_persian(db, reviewer, in_review):
    response = Api(reviewer).post(f"/posts/{in_review.pk}/return", {"reason": "  "})

    assert response.status_code == 422
    assert "اصلاح" in response.json()["detail"]["comment"][0]
    assert Post.objects.get(pk=in_review.pk).status == PostStatus.IN_REVIEW


def test_list_is_paged_and_filters_by_organisation_and_status(
    db, member, agency, draft, in_review, other_agency, admin_user
):
    services.post_create(actor=admin_user, organisation=other_agency, title="دیگری", body="x")
    api = Api(member)

    listed = api.get("/posts").json()
    assert listed["count"] == 1 and listed["page"] == 1 and listed["pages"] == 1
    assert api.get("/posts", status="draft").json()["count"] == 0
    assert api.get("/posts", status="in_review", organisation_id=agency.pk).json()["count"] == 1
    assert Api(admin_user).get("/posts").json()["count"] == 2
    assert api.get("/posts", organisation_id=other_agency.pk).status_code == 404
    assert api.get("/posts", status="nonsense").status_code == 422


def test_withdraw_and_correct_a_post_that_went_out(db, member, reviewer, in_review):
    services.post_approve(actor=reviewer, post=in_review)
    Delivery.objects.filter(post=in_review).update(state=DeliveryState.SENT, sent_at=timezone.now())
    Post.objects.filter(pk=in_review.pk).update(status=PostStatus.SENT, published_at=timezone.now())
    api = Api(reviewer)

    corrected = api.post(f"/posts/{in_review.pk}/correct", {"title": "عنوان درست", "note": "غلط"})
    assert corrected.status_code == 201, corrected.content
    assert corrected.json()["kind"] == "correction"
    assert corrected.json()["correction_of_id"] == in_review.pk
    assert Post.objects.get(pk=in_review.pk).title == "عنوان درست"

    withdrawn = api.post(f"/posts/{in_review.pk}/withdraw", {"reason": "نادرست بود"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = api.post(f"/posts/{in_review.pk}/withdraw", {"reason": ""})
    assert again.status_code == 409
    assert "پس گرفته" in again.json()["detail"]


def test_reviewer_settles_an_unconfirmed_send(db, member, reviewer, in_review):
    services.post_approve(actor=reviewer, post=in_review)
    delivery = in_review.deliveries.get(channel__kind="telegram")
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.UNCONFIRMED)
    link = "https://t.me/behzisti_sb/12"

    assert Api(member).post(f"/deliveries/{delivery.pk}/resolve", {"sent": True}).status_code == 403
    settled = Api(reviewer).post(
        f"/deliveries/{delivery.pk}/resolve", {"sent": True, "remote_url": link}
    )

    assert settled.status_code == 200, settled.content
    assert settled.json()["state"] == "sent" and settled.json()["remote_url"] == link
    again = Api(reviewer).post(f"/deliveries/{delivery.pk}/resolve", {"sent": False})
    assert again.status_code == 409
    assert "نامعلوم نیست" in again.json()["detail"]


# ---- conflicts and bad input: 409 and 422 with a Persian detail ----------------------------


def test_editing_a_post_in_review_is_409(db, member, in_review):
    response = Api(member).patch(f"/posts/{in_review.pk}", {"title": "تازه"})

    assert response.status_code == 409
    assert "ویرایش نمی‌شود" in response.json()["detail"]
    assert Post.objects.get(pk=in_review.pk).title == "برگزاری دوره خبرنویسی"


def test_an_edit_of_an_older_version_is_409_and_keeps_the_newer(db, member, owner, draft):
    read = Api(member).get(f"/posts/{draft.pk}").json()
    first = Api(owner).patch(
        f"/posts/{draft.pk}", {"title": "عنوان مدیر", "updated_at": read["updated_at"]}
    )
    assert first.status_code == 200

    second = Api(member).patch(
        f"/posts/{draft.pk}", {"title": "عنوان ویراستار", "updated_at": read["updated_at"]}
    )

    assert second.status_code == 409
    assert "تغییر کرده است" in second.json()["detail"]
    assert Post.objects.get(pk=draft.pk).title == "عنوان مدیر"


def test_approving_a_draft_is_409(db, reviewer, draft):
    response = Api(reviewer).post(f"/posts/{draft.pk}/approve", {"confirm": True})

    assert response.status_code == 409
    assert response.json()["detail"] == "این مطلب در انتظار بازبینی نیست."
    assert not Delivery.objects.exists()


def test_submitting_without_channels_is_422(db, member, agency):
    post = services.post_create(actor=member, organisation=agency, title="بی‌کانال", body="x")

    response = Api(member).post(f"/posts/{post.pk}/submit")

    assert response.status_code == 422
    assert "کانال" in response.json()["detail"]["channels"][0]


def test_a_channel_of_another_agency_is_422(db, member, agency, other_agency):
    from hamafza.network.models import Channel

    foreign = Channel.objects.create(organisation=other_agency, kind="telegram", handle="@tamin")

    response = Api(member).post(
        "/posts", {"organisation_id": agency.pk, "title": "خبر", "channel_ids": [foreign.pk]}
    )

    assert response.status_code == 422
    assert "channel_ids" in response.json()["detail"]
    assert not Post.objects.exists()


def test_a_past_schedule_is_422(db, member, draft):
    past = (timezone.now() - timedelta(hours=1)).isoformat()

    response = Api(member).post(f"/posts/{draft.pk}/schedule", {"publish_at": past})

    assert response.status_code == 422
    assert "آینده" in response.json()["detail"]["publish_at"][0]


def test_a_photo_without_alt_text_is_422_and_nothing_is_stored(db, member, draft):
    response = Api(member).client.post(
        f"/api/publishing/posts/{draft.pk}/photos", {"image": png(), "alt_text": " "}
    )

    assert response.status_code == 422
    assert draft.photos.count() == 0


def test_approval_with_serious_findings_needs_confirm(db, member, reviewer, agency, channels):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="گزارش برگزاری",
        body="<p>این کار کار خوبی بود و خدمتگزاری ادامه دارد.</p>",  # the checker objects
        channels=[channels["telegram"]],
    )
    services.post_submit(actor=member, post=post)
    api = Api(reviewer)

    refused = api.post(f"/posts/{post.pk}/approve", {})
    assert refused.status_code == 422
    assert "confirm" in refused.json()["detail"]
    assert api.post(f"/posts/{post.pk}/approve", {"confirm": True}).status_code == 200


# ---- the same policy as the pages ------------------------------------------------------------

# Who may do what to a post in review, on the pages and so in the API:
# (role fixture, reads, the answer to an edit, approves)
ROLES = [
    ("member", True, 409, False),  # the editor: a post in review is no longer theirs to edit
    ("reviewer", True, 403, True),  # reviews, never writes
    ("owner", True, 409, True),  # the PR manager writes and reviews
    ("admin_user", True, 409, True),
    ("other_owner", False, 404, False),  # another agency: it does not exist for them
    ("outsider", False, 404, False),
]


@pytest.mark.parametrize(("who", "reads", "edit_status", "approves"), ROLES)
def test_each_role_as_on_the_pages(
    db, request, login, who, reads, edit_status, approves, in_review
):
    user = request.getfixturevalue(who)
    api = Api(user)
    page = login(user).get(f"/publishing/posts/{in_review.pk}/")

    got = api.get(f"/posts/{in_review.pk}")
    assert (got.status_code == 200) is reads
    assert (page.status_code == 200) is reads
    if not reads:
        assert got.status_code == 404 and page.status_code == 404
        assert api.get(f"/posts/{in_review.pk}/deliveries").status_code == 404

    assert api.patch(f"/posts/{in_review.pk}", {"title": "تازه"}).status_code == edit_status
    page_edit = login(user).get(f"/publishing/posts/{in_review.pk}/edit/")
    assert page_edit.status_code == (403 if reads else 404)

    approve = api.post(f"/posts/{in_review.pk}/approve", {"confirm": True})
    if approves:
        assert approve.status_code == 200
    else:
        assert approve.status_code == (403 if reads else 404)
        assert Post.objects.get(pk=in_review.pk).status == PostStatus.IN_REVIEW


def test_an_editor_cannot_withdraw_or_correct(db, member, reviewer, in_review):
    services.post_approve(actor=reviewer, post=in_review)
    api = Api(member)

    assert api.post(f"/posts/{in_review.pk}/withdraw", {"reason": ""}).status_code == 403
    assert api.post(f"/posts/{in_review.pk}/correct", {"title": "x"}).status_code == 403
    assert Post.objects.get(pk=in_review.pk).status == PostStatus.APPROVED


def test_a_reviewer_cannot_create_posts(db, reviewer, agency):
    response = Api(reviewer).post("/posts", {"organisation_id": agency.pk, "title": "خبر"})

    assert response.status_code == 403
    assert response.json()["detail"] == "اجازه این کار را ندارید."


def test_without_a_token_it_is_401(db, draft):
    response = Client().get(f"/api/publishing/posts/{draft.pk}")

    assert response.status_code == 401


# ---- connections: the state, never the token -------------------------------------------------


@pytest.fixture
def connected(channels):
    return ChannelConnection.objects.create(
        channel=channels["telegram"],
        chat_id="@behzisti_sb",
        token_encrypted=encrypt_token(SECRET),
        state=ConnectionState.BROKEN,
        last_error="ربات از کانال بیرون رانده شده است.",
    )


def test_pr_manager_reads_the_connections_and_no_answer_holds_the_token(
    db, owner, agency, connected, channels, in_review
):
    api = Api(owner)
    answers = [
        api.get(f"/organisations/{agency.pk}/connections"),
        api.get(f"/connections/{connected.channel_id}"),
        api.get(f"/connections/{channels['bale'].pk}"),
        api.get("/posts"),
        api.get(f"/posts/{in_review.pk}"),
        api.get(f"/posts/{in_review.pk}/deliveries"),
        Client().get("/api/openapi.json"),
    ]

    assert all(a.status_code == 200 for a in answers), [a.status_code for a in answers]
    listed = answers[0].json()
    assert {c["kind"] for c in listed} == {"telegram", "bale", "eitaa", "rubika"}
    telegram = answers[1].json()
    assert telegram["connected"] is True and telegram["state"] == "broken"
    assert telegram["last_error"] == "ربات از کانال بیرون رانده شده است."
    assert answers[2].json()["connected"] is False
    for answer in answers:
        body = answer.content.decode()
        assert SECRET not in body and "token_encrypted" not in body


@pytest.mark.parametrize("who", ["member", "reviewer"])
def test_only_who_may_connect_reads_the_connections(db, request, who, agency, connected):
    api = Api(request.getfixturevalue(who))

    assert api.get(f"/organisations/{agency.pk}/connections").status_code == 403
    assert api.get(f"/connections/{connected.channel_id}").status_code == 403


def test_another_agency_does_not_see_the_connections(db, other_owner, agency, connected):
    api = Api(other_owner)

    assert api.get(f"/organisations/{agency.pk}/connections").status_code == 404
    assert api.get(f"/connections/{connected.channel_id}").status_code == 404


def test_the_list_takes_a_fixed_number_of_queries(db, member, agency, channels):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = Api(member)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/posts").status_code == 200
        return len(captured)

    services.post_create(
        actor=member, organisation=agency, title="یک", body="x", channels=[channels["bale"]]
    )
    queries()  # the first call also notes when the token was last used
    one = queries()
    for n in range(4):
        services.post_create(
            actor=member,
            organisation=agency,
            title=f"خبر {n}",
            body="x",
            channels=[channels["bale"]],
        )

    assert queries() == one
