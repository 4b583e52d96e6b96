"""A reviewer's small edits before approving: against the version they read, through
the composer's checks, in the post's history with a word diff; never by the author."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hamafza.core.models import AuditEntry
from hamafza.network.models import Role
from hamafza.publishing import history, services
from hamafza.publishing.models import PostStatus
from tests.conftest import grant, make_user


@pytest.fixture
def in_review(member, agency, channels):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="برگزاری دوره خبرنویسی در زاهدان",
        body="<p>دوره خبرنویسی روز شنبه برگزار شد.</p>",
        tags=["آموزش"],
        channels=[channels["website"], channels["telegram"]],
    )
    return services.post_submit(actor=member, post=post)


def _edit(client, post, **changes):
    page = client.get(reverse("publishing:post_detail", args=[post.pk]))
    form = page.context["review_form"]
    data = {f"edit-{name}": form[name].value() or "" for name in form.fields}
    data.update({f"edit-{k}": v for k, v in changes.items()})
    return client.post(reverse("publishing:post_review_edit", args=[post.pk]), data)


def test_the_reviewer_fixes_a_word_and_the_history_shows_it(client, reviewer, in_review):
    client.force_login(reviewer)
    response = _edit(
        client,
        in_review,
        title="برگزاری دوره خبرنویسی در چابهار",
        body="دوره خبرنویسی روز یکشنبه برگزار شد.",
        tags="آموزش، رسانه",
    )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == PostStatus.IN_REVIEW  # approving is a step of its own
    assert in_review.title == "برگزاری دوره خبرنویسی در چابهار"
    assert "یکشنبه" in in_review.body and in_review.tags == ["آموزش", "رسانه"]
    entry = AuditEntry.objects.get(action="publishing.post.review_edited")
    assert entry.actor == reviewer
    assert entry.data["before"]["title"] == "برگزاری دوره خبرنویسی در زاهدان"
    assert entry.data["after"]["title"] == "برگزاری دوره خبرنویسی در چابهار"
    assert set(entry.data["fields"]) == {"title", "body", "tags"}

    page = client.get(response["Location"]).content.decode()
    assert "ویرایش شما ثبت شد" in page
    assert "تاریخچه مطلب" in page and "ویرایش بازبین پیش از تأیید" in page
    assert "مریم شهرکی" in page  # who
    assert "<del>زاهدان</del><ins>چابهار</ins>" in page  # what, word by word
    assert "<del>شنبه</del><ins>یکشنبه</ins>" in page
    assert "<del>آموزش</del><ins>آموزش، رسانه</ins>" in page

    # The post can then be approved as edited.
    client.post(reverse("publishing:post_approve", args=[in_review.pk]))
    in_review.refresh_from_db()
    assert in_review.status == PostStatus.APPROVED


def test_an_edit_against_an_old_version_is_refused_and_keeps_the_typing(
    client, reviewer, owner, in_review
):
    client.force_login(reviewer)
    page = client.get(reverse("publishing:post_detail", args=[in_review.pk]))
    old_version = page.context["review_form"]["version"].value()
    # Meanwhile the PR manager fixes the title.
    services.post_review_edit(
        actor=owner, post=in_review, version=old_version, title="دوره خبرنویسی زاهدان"
    )
    response = client.post(
        reverse("publishing:post_review_edit", args=[in_review.pk]),
        {
            "edit-title": "عنوان بازبین",
            "edit-lead": "",
            "edit-body": "متن بازبین",
            "edit-tags": "",
            "edit-version": old_version,
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "از وقتی آن را باز کردید تغییر کرده است" in html
    assert "ویرایش شما در کادر مانده است" in html
    assert "عنوان بازبین" in html and "متن بازبین" in html  # nothing typed is lost
    in_review.refresh_from_db()
    assert in_review.title == "دوره خبرنویسی زاهدان"  # the other change stands
    assert AuditEntry.objects.filter(action="publishing.post.review_edited").count() == 1
    # The box now carries the current version: sending it again, seen, goes through.
    form = response.context["review_form"]
    assert form["version"].value() == history.post_version(in_review)
    data = {f"edit-{name}": form[name].value() or "" for name in form.fields}
    again = client.post(reverse("publishing:post_review_edit", args=[in_review.pk]), data)
    assert again.status_code == 302
    in_review.refresh_from_db()
    assert in_review.title == "عنوان بازبین"


def test_a_resubmitted_post_makes_an_old_version_stale(member, reviewer, in_review):
    version = history.post_version(in_review)
    services.post_return(actor=reviewer, post=in_review, comment="عکس بگذارید")
    services.post_update(actor=member, post=in_review, title="عنوان تازه نویسنده")
    services.post_submit(actor=member, post=in_review)
    with pytest.raises(ValidationError) as refused:
        services.post_review_edit(actor=reviewer, post=in_review, version=version, title="x y")
    assert refused.value.code == "stale"


def test_the_author_cannot_edit_their_own_post_in_review(client, owner, agency, channels):
    post = services.post_create(
        actor=owner,
        organisation=agency,
        title="خبر مدیر",
        body="متن",
        channels=[channels["website"]],
    )
    services.post_submit(actor=owner, post=post)
    client.force_login(owner)
    page = client.get(reverse("publishing:post_detail", args=[post.pk]))
    assert page.context["review_form"] is None
    assert "ویرایش جزئی پیش از تأیید" not in page.content.decode()
    data = {"edit-title": "تأیید خودم", "edit-body": "متن", "edit-version": "x"}
    assert (
        client.post(reverse("publishing:post_review_edit", args=[post.pk]), data).status_code == 403
    )
    with pytest.raises(PermissionDenied):
        services.post_review_edit(
            actor=owner, post=post, version=history.post_version(post), title="تأیید خودم"
        )
    post.refresh_from_db()
    assert post.title == "خبر مدیر"


def test_only_those_who_may_review_it(client, member, other_owner, in_review):
    url = reverse("publishing:post_review_edit", args=[in_review.pk])
    data = {"edit-title": "ربوده", "edit-body": "متن", "edit-version": "x"}
    client.force_login(member)  # the agency's editor (and the author): may see, not review
    assert client.post(url, data).status_code == 403
    client.force_login(other_owner)  # another agency: not even there
    assert client.post(url, data).status_code == 404
    hub_reviewer = grant(make_user("hubrev"), in_review.organisation.parent, Role.REVIEWER)
    assert (
        services.post_review_edit(
            actor=hub_reviewer,
            post=in_review,
            version=history.post_version(in_review),
            title="ویرایش ستاد",
        ).title
        == "ویرایش ستاد"
    )
    in_review.refresh_from_db()
    assert in_review.title == "ویرایش ستاد"


def test_only_a_post_in_review_and_only_a_real_change(reviewer, member, in_review):
    version = history.post_version(in_review)
    with pytest.raises(ValidationError, match="تغییری نکرده"):
        services.post_review_edit(
            actor=reviewer, post=in_review, version=version, title=in_review.title
        )
    services.post_return(actor=reviewer, post=in_review, comment="ببینید")
    in_review.refresh_from_db()
    with pytest.raises(ValidationError, match="در انتظار بازبینی نیست"):
        services.post_review_edit(
            actor=reviewer, post=in_review, version=history.post_version(in_review), title="x"
        )


def test_the_edit_goes_through_the_composers_checks(client, reviewer, in_review):
    client.force_login(reviewer)
    # An empty title is refused beside the field, the text typed kept.
    response = _edit(client, in_review, title="", body="متن تازه بازبین")
    assert response.status_code == 400
    assert "متن تازه بازبین" in response.content.decode()
    in_review.refresh_from_db()
    assert "متن تازه بازبین" not in in_review.body
    # The editorial checker's serious findings are pointed out after the edit.
    response = _edit(client, in_review, body="این خبر مهم است است.")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "یافته جدی" in page
    # Markup and HTML go through the composer's cleaning.
    _edit(client, in_review, body="**مهم** <script>alert(1)</script>")
    in_review.refresh_from_db()
    assert "<strong>مهم</strong>" in in_review.body and "<script>" not in in_review.body


def test_the_word_diff_shortens_long_unchanged_stretches():
    before = " ".join(f"واژه{i}" for i in range(40))
    after = before.replace("واژه20", "تازه")
    pieces = history.word_diff(before, after)
    kinds = [p.kind for p in pieces]
    assert kinds.count("removed") == 1 and kinds.count("added") == 1
    assert "elided" in kinds
    assert [p.text for p in pieces if p.kind == "removed"] == ["واژه20"]
    shown = "".join(p.text for p in pieces if p.kind != "removed")
    assert "واژه19" in shown and "واژه0" not in shown
