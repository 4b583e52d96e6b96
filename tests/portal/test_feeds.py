"""The feeds: RSS 2.0 and Atom parse as XML with the fields readers need; JSON Feed 1.1
has its required keys. Network-wide and per organisation."""

import json
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.utils.dateparse import parse_datetime

from hamafza.portal.selectors import post_url
from hamafza.publishing.models import PostStatus

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def posts(make_post, other_agency):
    return [
        make_post("خبر نخست بهزیستی", photos=1, tags=["اشتغال"]),
        make_post("خبر تأمین اجتماعی", organisation=other_agency),
        make_post("پیش‌نویس", status=PostStatus.DRAFT, published=False),
    ]


def test_rss_is_valid_rss_2(client, posts):
    response = client.get("/feeds/news.rss")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.find(required).text
    assert channel.find("language").text == "fa"
    items = channel.findall("item")
    assert [i.find("title").text for i in items] == ["خبر نخست بهزیستی", "خبر تأمین اجتماعی"]
    first = items[0]
    assert first.find("link").text == "http://testserver" + post_url(posts[0])
    assert first.find("guid").text == first.find("link").text
    # RFC 822 date in the field; the Jalali date and the lead in the description.
    published = parsedate_to_datetime(first.find("pubDate").text)
    assert abs((published - posts[0].published_at).total_seconds()) < 1
    description = first.find("description").text
    assert "۱۴" in description and posts[0].lead in description
    assert first.find("category").text == "اشتغال"


def test_atom_is_valid_atom(client, posts):
    response = client.get("/feeds/news.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}").text
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    entry = entries[0]
    for required in ("id", "title", "updated", "published"):
        assert entry.find(f"{ATOM}{required}").text
    assert parse_datetime(entry.find(f"{ATOM}published").text) is not None  # RFC 3339
    assert entry.find(f"{ATOM}link").get("href").endswith(post_url(posts[0]))
    assert posts[0].lead in entry.find(f"{ATOM}summary").text
    assert entry.find(f"{ATOM}author/{ATOM}name").text == posts[0].organisation.name


def test_json_feed_1_1(client, posts):
    response = client.get("/feeds/news.json")
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["home_page_url"] == "http://testserver/news/"
    assert feed["feed_url"] == "http://testserver/feeds/news.json"
    assert len(feed["items"]) == 2
    item = feed["items"][0]
    assert {"id", "url", "title", "summary", "date_published"} <= set(item)
    assert "content_html" in item or "content_text" in item  # one is required
    assert item["url"] == "http://testserver" + post_url(posts[0])
    assert item["summary"] == posts[0].lead
    assert parse_datetime(item["date_published"]) == posts[0].published_at
    assert item["image"].startswith("http://testserver/media/")
    assert item["tags"] == ["اشتغال"]
    assert item["authors"] == [{"name": posts[0].organisation.name}]


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_organisation_feeds_hold_only_its_posts(client, posts, kind):
    response = client.get(f"/feeds/o/behzisti/news.{kind}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "خبر نخست بهزیستی" in body and "خبر تأمین اجتماعی" not in body
    assert client.get(f"/feeds/o/no-such/news.{kind}").status_code == 404


def test_feed_queries_are_constant(client, make_post, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    make_post(photos=1)
    few = {url: count(url) for url in ("/feeds/news.rss", "/feeds/news.json")}
    for index in range(10):
        make_post(f"خبر {index}", photos=1)
    assert {url: count(url) for url in few} == few
