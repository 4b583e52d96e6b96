"""Photos on the public site: a published post's photos are served to anyone at their
/media/ address, cacheable; every other post's photos are a 404 there, whoever asks and
however the address was found. Link previews and feeds carry absolute public addresses,
and the pages give every photo its width and height."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from hamafza.core.uploads import image_accept
from hamafza.portal.selectors import post_url
from hamafza.publishing import services
from hamafza.publishing.models import PostPhoto, PostStatus

from .conftest import jpeg
from .test_pages import parse

pytestmark = pytest.mark.django_db


def add_photo(post, alt="نمای ورودی مرکز") -> PostPhoto:
    """A photo as the composer stores it: through the upload helper, with its size."""
    accepted = image_accept(jpeg())
    photo = PostPhoto(post=post, alt_text=alt, width=accepted.width, height=accepted.height)
    photo.image.save(accepted.name, accepted.content, save=False)
    photo.save()
    return photo


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_published_posts_photo_is_served_to_anyone_and_cacheable(client, make_post):
    photo = add_photo(make_post())
    url = photo.image.url
    assert url.startswith("/media/posts/")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    # Kept by caches, but asked for again each time: a withdrawal must not linger.
    assert response["Cache-Control"] == "public, no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.get("Content-Disposition", "").startswith("attachment")  # shown
    with Image.open(io.BytesIO(body(response))) as served:
        assert served.size == (320, 180)
    assert "sessionid" not in response.cookies
    # A cache that already has it is told so.
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "status, published",
    [
        (PostStatus.DRAFT, False),
        (PostStatus.IN_REVIEW, False),
        (PostStatus.RETURNED, False),
        (PostStatus.APPROVED, False),  # scheduled: not on the site before its time
    ],
)
def test_an_unpublished_posts_photo_is_a_404_for_everyone_by_its_address(
    client, login, make_post, member, outsider, other_owner, status, published
):
    photo = add_photo(make_post(status=status, published=published))
    assert default_storage.exists(photo.image.name)  # the file is there; the gate says no
    assert client.get(photo.image.url).status_code == 404
    for person in (outsider, other_owner, member):
        assert login(person).get(photo.image.url).status_code == 404
    # The agency's own editor sees it where the composer shows it, privately cached.
    response = login(member).get(f"/publishing/photos/{photo.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    assert login(outsider).get(f"/publishing/photos/{photo.pk}/").status_code == 404


def test_a_withdrawn_posts_photo_is_gone_the_moment_it_is_withdrawn(client, admin_user, make_post):
    post = make_post()
    photo = add_photo(post)
    assert client.get(photo.image.url).status_code == 200
    services.post_withdraw(actor=admin_user, post=post, reason="خطا در متن")
    assert client.get(photo.image.url).status_code == 404
    assert client.get(post_url(post)).status_code == 410
    assert photo.image.url not in client.get(post_url(post)).content.decode()


def test_guessed_and_crafted_addresses_find_nothing(client, make_post, settings):
    published = add_photo(make_post())
    stray = default_storage.save("posts/2026/01/stray.jpg", ContentFile(jpeg().read()))
    (settings.MEDIA_ROOT / "secret.txt").write_text("private")
    directory = published.image.name.rsplit("/", 1)[0]
    for url in (
        f"/media/{stray}",  # a file in the folder that no photo of a public post owns
        f"/media/{directory}/",
        "/media/posts/",
        "/media/secret.txt",
        f"/media/{directory}/../../../secret.txt",
        "/media/%2e%2e/var/secret_key",
        f"/media/{published.image.name}/..",
        "/media/public/.",  # the public folder itself
        f"/media/public/{directory}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(published.image.url).status_code == 405


def test_behind_the_proxy_the_app_only_says_yes(client, make_post, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/_protected_media/"
    photo = add_photo(make_post())
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_protected_media/{photo.image.name}"
    assert response.content == b""  # nginx sends the bytes
    assert response["Content-Type"] == "image/jpeg"
    draft = add_photo(make_post(status=PostStatus.DRAFT, published=False))
    assert client.get(draft.image.url).status_code == 404


def test_link_previews_carry_the_public_absolute_address_and_size(client, make_post, settings):
    settings.PUBLIC_SITE_URL = "https://hamafza.example.ir/"
    post = make_post()
    photo = add_photo(post)
    tags = parse(client.get(post_url(post)))
    assert tags.meta["og:image"] == f"https://hamafza.example.ir{photo.image.url}"
    assert tags.meta["twitter:image"] == tags.meta["og:image"]
    assert (tags.meta["og:image:width"], tags.meta["og:image:height"]) == ("320", "180")


def test_photos_have_their_width_and_height_on_the_pages(client, make_post):
    post = make_post()
    first = add_photo(post, "نخست")
    second = add_photo(post, "دوم")
    page = client.get(post_url(post)).content.decode()
    for photo in (first, second):
        assert f'src="{photo.image.url}" alt="{photo.alt_text}" width="320" height="180"' in page
    listing = client.get("/news/").content.decode()
    assert f'src="{first.image.url}" alt="نخست" width="320" height="180"' in listing


def test_the_rss_item_encloses_its_photo_by_its_public_address(client, make_post, settings):
    settings.PUBLIC_SITE_URL = "https://hamafza.example.ir"
    post = make_post()
    photo = add_photo(post)
    make_post("خبر بی‌عکس")
    items = ET.fromstring(client.get("/feeds/news.rss").content).find("channel").findall("item")
    enclosure = items[0].find("enclosure")
    assert enclosure.get("url") == f"https://hamafza.example.ir{photo.image.url}"
    assert enclosure.get("type") == "image/jpeg"
    assert enclosure.get("length") == str(photo.image.size)
    assert items[1].find("enclosure") is None
    assert (
        client.get(enclosure.get("url").removeprefix("https://hamafza.example.ir")).status_code
        == 200
    )
    item = client.get("/feeds/news.json").json()["items"][0]
    assert item["image"] == enclosure.get("url")
