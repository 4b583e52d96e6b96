"""The public news pages: anyone may read them; only what went out shows."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.encoding import uri_to_iri

from hamafza.portal.selectors import post_url
from hamafza.publishing.models import PostKind, PostStatus

pytestmark = pytest.mark.django_db


class MetaTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links = {}, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        if tag == "link" and attrs.get("rel") == "canonical":
            self.links["canonical"] = attrs["href"]


def parse(response) -> MetaTags:
    parser = MetaTags()
    parser.feed(response.content.decode())
    return parser


def test_anonymous_visitor_reads_the_network_news(client, make_post, other_agency):
    make_post("خبر بهزیستی")
    make_post("خبر تأمین اجتماعی", organisation=other_agency)
    response = client.get("/news/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "خبر بهزیستی" in html and "خبر تأمین اجتماعی" in html
    assert html.index("خبر بهزیستی") < html.index("خبر تأمین اجتماعی")  # newest first
    assert 'dir="rtl"' in html and 'lang="fa"' in html
    assert "۱۴" in html  # a Jalali year in Persian digits
    assert "main-nav" in html and "user-menu" not in html  # the public header only


def test_drafts_unsent_and_withdrawn_posts_stay_off_the_lists(client, make_post):
    make_post("خبر منتشرشده")
    make_post("پیش‌نویس پنهان", status=PostStatus.DRAFT, published=False)
    make_post("تأییدشده ولی نرفته", status=PostStatus.APPROVED, published=False)
    make_post("در حال ارسال", status=PostStatus.SENDING, published=False)
    make_post("پس‌گرفته", status=PostStatus.WITHDRAWN)
    for url in ("/news/", "/news/o/behzisti/", "/feeds/news.rss", "/feeds/news.json"):
        html = client.get(url).content.decode()
        assert "خبر منتشرشده" in html, url
        for hidden in ("پیش‌نویس پنهان", "تأییدشده ولی نرفته", "در حال ارسال", "پس‌گرفته"):
            assert hidden not in html, (url, hidden)


def test_unpublished_posts_have_no_page(client, make_post):
    for status in (PostStatus.DRAFT, PostStatus.IN_REVIEW, PostStatus.APPROVED):
        post = make_post(status=status, published=False)
        assert client.get(f"/news/{post.pk}/").status_code == 404
        assert client.get(f"/news/{post.pk}/x/").status_code == 404
    assert client.get("/news/999999/").status_code == 404


def test_a_withdrawn_post_says_so(client, make_post):
    post = make_post("خبر نادرست", status=PostStatus.WITHDRAWN)
    response = client.get(post_url(post))
    assert response.status_code == 410
    html = response.content.decode()
    assert "پس‌گرفته" in html
    assert "متن کامل خبر" not in html
    assert "خبر نادرست" not in html  # not even its title stays public
    assert 'name="robots" content="noindex"' in html


def test_post_page_has_open_graph_and_twitter_tags(client, make_post):
    post = make_post(photos=2, tags=["مشاوره", "خانواده"])
    response = client.get(post_url(post))
    assert response.status_code == 200
    tags = parse(response)
    canonical = "http://testserver" + post_url(post)
    assert tags.links["canonical"] == canonical
    assert tags.meta["og:url"] == canonical
    assert tags.meta["og:title"] == post.title
    assert tags.meta["og:description"] == post.lead
    assert tags.meta["og:type"] == "article"
    assert tags.meta["og:image"].startswith("http://testserver/media/posts/")
    assert tags.meta["og:image:alt"] == "نمای ساختمان مرکز 1"
    assert tags.meta["twitter:card"] == "summary_large_image"
    assert tags.meta["twitter:title"] == post.title
    assert tags.meta["twitter:image"] == tags.meta["og:image"]
    assert tags.meta["article:published_time"].startswith(str(post.published_at.year))
    html = response.content.decode()
    # Photos with their alt text; the first loads at once, the rest lazily.
    assert html.count('alt="نمای ساختمان مرکز') == 2
    assert 'loading="lazy"' in html
    assert "<p>متن کامل خبر درباره مرکز مشاوره.</p>" in html


def test_the_address_redirects_to_its_canonical_slug(client, make_post):
    post = make_post("مرکز مشاوره، در زاهدان")
    assert reverse("portal:post_detail", kwargs={"pk": post.pk}) == f"/news/{post.pk}/"
    canonical = post_url(post)
    assert uri_to_iri(canonical) == f"/news/{post.pk}/مرکز-مشاوره-در-زاهدان/"
    for wrong in (f"/news/{post.pk}/", f"/news/{post.pk}/old-title/"):
        response = client.get(wrong)
        assert response.status_code == 301
        assert response["Location"] == canonical


def test_corrections_link_both_ways(client, make_post):
    original = make_post("آمار نادرست اشتغال")
    correction = make_post("اصلاحیه آمار اشتغال", kind=PostKind.CORRECTION, correction_of=original)
    hidden = make_post(
        "اصلاحیه پیش‌نویس",
        kind=PostKind.CORRECTION,
        correction_of=original,
        status=PostStatus.DRAFT,
        published=False,
    )
    html = client.get(post_url(original)).content.decode()
    assert post_url(correction) in html and hidden.title not in html
    html = client.get(post_url(correction)).content.decode()
    assert post_url(original) in html and "اصلاحیه‌ای است بر خبر" in html


def test_organisation_news_shows_only_that_organisation(client, make_post, other_agency):
    make_post("خبر بهزیستی")
    make_post("خبر تأمین", organisation=other_agency)
    html = client.get("/news/o/behzisti/").content.decode()
    assert "خبر بهزیستی" in html and "خبر تأمین" not in html
    assert "/feeds/o/behzisti/news.rss" in html
    assert client.get("/news/o/no-such/").status_code == 404


def test_pages_are_paginated_and_cached_for_a_minute(client, make_post):
    for index in range(25):
        make_post(f"خبر شماره {index}")
    first = client.get("/news/")
    assert "max-age=60" in first["Cache-Control"]
    assert "Cookie" not in first.get("Vary", "")
    assert "خبر شماره 0<" in first.content.decode()
    assert "خبر شماره 24<" not in first.content.decode()
    second = client.get("/news/?page=2").content.decode()
    assert "خبر شماره 24<" in second and 'rel="prev"' in second
    make_post("خبر تازه‌تر")  # within the minute the cached page stands
    assert "خبر تازه‌تر" not in client.get("/news/").content.decode()


def test_a_list_page_from_the_cache_costs_no_query(client, make_post, django_assert_num_queries):
    make_post(photos=1)
    client.get("/news/")
    with django_assert_num_queries(0):
        assert client.get("/news/").status_code == 200


@pytest.mark.parametrize("url", ["/news/", "/news/o/behzisti/"])
def test_list_queries_do_not_grow_with_posts(client, make_post, url, django_assert_max_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make_post(photos=1)
    few = count()
    for index in range(15):
        make_post(f"خبر {index}", photos=2)
    assert count() == few
    assert few <= 4  # (organisation,) count, page, photos


def test_post_page_queries_are_constant(client, make_post, django_assert_num_queries):
    post = make_post(photos=3)
    for index in range(4):
        make_post(f"اصلاحیه {index}", kind=PostKind.CORRECTION, correction_of=post)
    with django_assert_num_queries(3):  # the post (with its organisation), photos, corrections
        assert client.get(post_url(post)).status_code == 200


def test_list_shows_the_columns_it_needs_and_no_body(make_post):
    from hamafza.portal.selectors import public_posts

    make_post()
    post = public_posts()[0]
    assert "body" in post.get_deferred_fields()
    assert re.search(r"\w", post.organisation.slug)


def test_a_formatted_post_reads_formatted_on_its_public_page(client, make_post):
    from hamafza.publishing.limits import body_html
    from hamafza.publishing.services import sanitize_body

    typed = (
        "**مهلت** تا __پایان ماه__؛ [فهرست](https://behzisti.ir/a) و <script>x</script>\n\n> نقل"
    )
    post = make_post(body=sanitize_body(body_html(typed)))
    page = client.get(post_url(post), follow=True).content.decode()
    assert "<strong>مهلت</strong>" in page and "<em>پایان ماه</em>" in page
    assert '<a href="https://behzisti.ir/a" rel="noopener noreferrer">فهرست</a>' in page
    assert "<blockquote><p>نقل</p></blockquote>" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "**" not in page
