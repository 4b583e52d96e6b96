"""An editor on a phone picks three photos at once, sees them listed before sending,
attaches a document, and is told which ticked channel cannot take a video that large;
the post is saved with its three photos and its document."""

import io

import pytest
from PIL import Image

from hamafza.network.models import Channel
from hamafza.publishing.models import Post

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def png_bytes(shade: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (shade, 90, 140)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def channels(agency):
    return {
        kind: Channel.objects.create(organisation=agency, kind=kind, handle=handle)
        for kind, handle in [("website", "behzisti.example.ir"), ("telegram", "@behzisti_sb")]
    }


def test_pick_three_photos_see_them_listed_and_save(
    page, sign_in, member, agency, channels, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(member)
    page.goto(f"/publishing/organisations/{agency.pk}/new/")
    page.get_by_label("عنوان").fill("بازدید از مرکز توان‌بخشی")
    page.locator("#id_body").fill("بند نخست خبر.")
    page.get_by_role("checkbox", name="تلگرام").check()

    page.locator("#id_photo").set_input_files(
        [
            {"name": name, "mimeType": "image/png", "buffer": png_bytes(shade)}
            for name, shade in (("yek.png", 20), ("do.png", 120), ("se.png", 220))
        ]
    )
    picked = page.locator("[data-picked] li")
    assert picked.count() == 3
    assert "do.png" in picked.nth(1).inner_text()
    page.get_by_label("متن جایگزین عکس‌ها").fill("بازدید مدیرکل از مرکز")

    # Options show for the ticked Telegram channel; a video over its 50 MB is named.
    assert page.get_by_label("بی‌صدا").is_visible()
    big = tmp_path / "film.mp4"  # a sparse file: 51 MB on paper
    with big.open("wb") as handle:
        handle.write(MP4_HEAD)
        handle.truncate(51 * 1024 * 1024)
    page.locator("#id_attachment").set_input_files(big)
    warn = page.locator("[data-attachment-warn]")
    assert (
        "تلگرام @behzisti_sb پرونده‌ای بزرگ‌تر از ۵۰ مگابایت را از ربات نمی‌گیرد" in warn.inner_text()
    )
    assert "این ویدیو ۵۱ مگابایت است" in warn.inner_text()
    page.get_by_role("checkbox", name="تلگرام").uncheck()
    assert warn.is_hidden()  # the site takes it
    assert page.get_by_label("بی‌صدا").is_hidden()  # no ticked channel rings
    page.get_by_role("checkbox", name="تلگرام").check()
    pdf = {"name": "gozaresh.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    page.locator("#id_attachment").set_input_files(pdf)
    assert warn.is_hidden()
    screenshot(page, "publishing-attach-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="ذخیره پیش‌نویس").click()
    page.wait_for_url("**/edit/")
    post = Post.objects.get()
    assert post.photos.count() == 3
    assert post.attachment.name == "gozaresh.pdf" and post.attachment.kind == "document"
    assert page.locator("ul.photos li.photo").count() == 3
    assert "gozaresh.pdf" in page.locator("p.attachment").inner_text()
