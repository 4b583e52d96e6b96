"""The public news on a phone, signed out: the network's news list and a post page with
its photo (served by the app itself, as on the embedded default), Jalali date and the
public header (no staff menu)."""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hamafza.core.uploads import image_accept
from hamafza.portal.selectors import post_url
from hamafza.publishing.models import Post, PostPhoto


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def _photo() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 540), (11, 93, 107))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 300, 880, 480), fill=(180, 83, 9))
    draw.ellipse((640, 60, 820, 240), fill=(246, 247, 249))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return SimpleUploadedFile("center.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def news(agency, other_agency):
    now = timezone.now()
    posts = []
    for index, (org, title) in enumerate(
        [
            (agency, "افتتاح مرکز مشاوره خانواده در زاهدان با حضور مدیرکل"),
            (other_agency, "پرداخت مستمری بازنشستگان تأمین اجتماعی از امروز آغاز شد"),
            (agency, "ثبت‌نام دوره‌های مهارت‌آموزی زنان سرپرست خانوار در چابهار"),
        ]
    ):
        post = Post.objects.create(
            organisation=org,
            title=title,
            status="sent",
            published_at=now - timedelta(hours=index * 5),
            lead="مرکز تازه به خانواده‌های شهر زاهدان مشاوره رایگان می‌دهد و هر روز از ساعت ۸ تا ۱۴ باز است.",
            body="<p>مدیرکل بهزیستی استان در آیین افتتاح گفت این مرکز با ده مشاور کار می‌کند.</p>"
            "<p>خانواده‌ها می‌توانند با شماره ۱۴۸۰ وقت بگیرند.</p>",
            tags=["مشاوره", "خانواده"],
        )
        posts.append(post)
    _add_photo(posts[0], "نمای ورودی مرکز مشاوره")
    return posts


def _add_photo(post, alt: str) -> PostPhoto:
    """As the composer stores it: through the upload helper, with its size."""
    accepted = image_accept(_photo())
    photo = PostPhoto(post=post, alt_text=alt, width=accepted.width, height=accepted.height)
    photo.image.save(accepted.name, accepted.content, save=False)
    photo.save()
    return photo


def test_news_list_and_post_page_on_a_phone(page, news, screenshot):
    page.goto("/news/")
    assert page.locator("h1").inner_text() == "اخبار شبکه روابط عمومی"
    items = page.locator(".news-item")
    assert items.count() == 3
    assert "افتتاح مرکز مشاوره" in items.first.inner_text()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".user-menu").count() == 0  # the public header, no staff menu
    meta = items.first.locator(".news-meta").inner_text()
    assert "۱۴" in meta and not any(d in meta for d in "0123456789")  # Jalali, Persian digits
    thumb = items.first.locator("img")
    assert thumb.get_attribute("alt") == "نمای ورودی مرکز مشاوره"
    assert thumb.evaluate("img => img.complete && img.naturalWidth > 0")
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-news-list")

    items.first.locator("h2 a").click()
    page.wait_for_url(f"**/news/{news[0].pk}/**")
    assert page.locator("h1").inner_text() == news[0].title
    assert page.locator("meta[property='og:title']").get_attribute("content") == news[0].title
    photo = page.get_by_role("img", name="نمای ورودی مرکز مشاوره")
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert (photo.get_attribute("width"), photo.get_attribute("height")) == ("960", "540")
    assert "با ده مشاور" in page.locator(".post-body").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-post-page")
    # Everything the page loaded came from this server.
    assert all(url.startswith(page.url.split("/news/")[0]) for url in page.requested)
    assert post_url(news[0]).split("/")[2] == str(news[0].pk)


def test_a_draft_photo_does_not_load_on_the_public_site(page, news):
    """The same address shape, a post not yet out: the browser gets nothing."""
    draft = Post.objects.create(
        organisation=news[0].organisation, title="پیش‌نویس خبر", body="<p>متن</p>", status="draft"
    )
    hidden = _add_photo(draft, "عکس پیش‌نویس")
    shown = news[0].photos.get()
    assert page.request.get(shown.image.url).status == 200
    assert page.request.get(hidden.image.url).status == 404
    page.goto(shown.image.url)
    assert page.evaluate("document.images[0].naturalWidth") == 960
