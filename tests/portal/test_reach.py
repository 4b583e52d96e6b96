"""A post's readers on the site: the page's beacon counts a visit (once per address per
half hour); the organisation sees its most read posts and best hours."""

import pytest
from django.utils import timezone

from hamafza.publishing.models import Post, PostStatus, PostVisits


@pytest.fixture
def published(agency, member):
    return Post.objects.create(
        organisation=agency,
        title="خبر پرخواننده",
        body="<p>متن</p>",
        created_by=member,
        status=PostStatus.SENT,
        published_at=timezone.now(),
    )


def test_the_beacon_counts_a_reader_once_per_half_hour(client, published):
    page = client.get(f"/news/{published.pk}/", follow=True).content.decode()
    assert f"/news/{published.pk}/seen" in page  # the page carries its beacon
    for _reload in range(3):
        assert client.post(f"/news/{published.pk}/seen").status_code == 204
    assert sum(PostVisits.objects.values_list("count", flat=True)) == 1
    client.post(f"/news/{published.pk}/seen", REMOTE_ADDR="10.1.1.2")
    assert sum(PostVisits.objects.values_list("count", flat=True)) == 2


def test_drafts_are_not_counted(client, agency, member):
    draft = Post.objects.create(
        organisation=agency, title="پیش‌نویس", body="<p>x</p>", created_by=member
    )
    assert client.post(f"/news/{draft.pk}/seen").status_code == 204
    assert not PostVisits.objects.exists()


def test_the_reach_page_shows_most_read_posts_and_hours(
    client, published, login, owner, other_owner, agency
):
    client.post(f"/news/{published.pk}/seen")
    page = login(owner).get(f"/publishing/organisations/{agency.pk}/reach/").content.decode()
    assert "خبر پرخواننده" in page and "بهترین ساعت‌ها" in page
    assert (
        login(other_owner).get(f"/publishing/organisations/{agency.pk}/reach/").status_code == 404
    )
