"""The composer's help: the editorial checker with one-click fixes, the channels' limits,
photos, and the warnings about repeated or crowded posts."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hamafza.persian.text.checker import check
from hamafza.publishing import services
from hamafza.publishing.models import Delivery, DeliveryState, Post, PostPhoto, PostStatus

ZWNJ = "\u200c"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def text(response) -> str:
    return response.content.decode()


def data_for(channels, **extra):
    data = {
        "kind": "news",
        "title": "خبر آموزشی",
        "lead": "",
        "body": "متن خبر.",
        "tags": "",
        "channels": [str(c.pk) for c in channels],
        "when": "now",
    }
    data.update(extra)
    return data


def jpeg(width, height, fmt="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, fmt)
    return SimpleUploadedFile(f"photo.{fmt.lower()}", buffer.getvalue(), f"image/{fmt.lower()}")


# --- the checker ----------------------------------------------------------------------


@pytest.mark.slow
def test_findings_show_beside_the_text_and_one_click_applies_a_fix(login, member, agency, channels):
    client = login(member)
    body = "بند اول.\n\nاین کار انجام میشود ."
    url = f"/publishing/organisations/{agency.pk}/new/"
    page = text(client.post(url, data_for([channels["telegram"]], body=body, action="save")))
    # Saved as a draft; the edit page lists the findings under the body.
    post = Post.objects.get()
    page = text(client.get(f"/publishing/posts/{post.pk}/edit/"))
    assert 'id="findings-body"' in page
    assert "نیم‌فاصله" in page
    zwnj = next(f for f in check(body) if f.code == "zwnj")
    key = f"body:{zwnj.start}:{zwnj.end}:zwnj"
    assert f'value="{key}"' in page

    # Applying it keeps everything typed (even unsaved edits) and saves nothing.
    typed = data_for(
        [channels["telegram"], channels["bale"]],
        body=body.replace("\n", "\r\n"),
        title="عنوان تازه‌ای که هنوز ذخیره نشده",
        apply=key,
    )
    response = client.post(f"/publishing/posts/{post.pk}/edit/", typed)
    assert response.status_code == 200
    page = text(response)
    assert f"می{ZWNJ}شود" in page
    assert "عنوان تازه‌ای که هنوز ذخیره نشده" in page
    assert page.count("checked") >= 2  # both channels still ticked
    post.refresh_from_db()
    assert post.title == "خبر آموزشی" and "میشود" in post.body  # nothing saved yet


def test_apply_all_safe_fixes_at_once(login, member, agency, channels):
    client = login(member)
    url = f"/publishing/organisations/{agency.pk}/new/"
    body = "این کار انجام میشود . ما میگوییم"
    page = text(client.post(url, data_for([channels["telegram"]], body=body, apply="body:all")))
    assert f"انجام می{ZWNJ}شود. ما می{ZWNJ}گوییم" in page
    assert not Post.objects.exists()


def test_tags_are_checked_like_the_text(login, member, agency, channels):
    # «روابط عمومي» with an Arabic ي and «اطلاع رسانی» without its ZWNJ would be two more
    # tags beside the right ones: the composer says so under the tags, and fixes them.
    client = login(member)
    tags = "روابط عمومي، اطلاع رسانی"
    url = f"/publishing/organisations/{agency.pk}/new/"
    client.post(url, data_for([channels["telegram"]], tags=tags, action="save"))
    post = Post.objects.get()
    page = text(client.get(f"/publishing/posts/{post.pk}/edit/"))
    assert 'id="findings-tags"' in page and 'value="tags:all"' in page
    typed = data_for([channels["telegram"]], tags=tags, apply="tags:all")
    page = text(client.post(f"/publishing/posts/{post.pk}/edit/", typed))
    assert f"روابط عمومی، اطلاع{ZWNJ}رسانی" in page
    # The reviewer sees them too.
    assert 'id="findings-tags"' in text(client.get(f"/publishing/posts/{post.pk}/"))


def test_a_finding_no_longer_in_the_text_is_said_so(login, member, agency, channels):
    client = login(member)
    url = f"/publishing/organisations/{agency.pk}/new/"
    page = text(client.post(url, data_for([], body="متن درست.", apply="body:0:3:zwnj")))
    assert "دیگر در متن نیست" in page


# --- limits ---------------------------------------------------------------------------


def test_each_channel_shows_its_limit_and_the_server_refuses_a_too_long_variant(
    login, member, agency, channels
):
    client = login(member)
    url = f"/publishing/organisations/{agency.pk}/new/"
    page = text(client.get(url))
    assert 'data-counter-for="{}"'.format(channels["telegram"].pk) in page
    assert '"text": 4096' in page  # the limits the counter reads
    long_text = "واژه " * 900  # 4500 characters
    telegram = channels["telegram"].pk
    response = client.post(
        url,
        data_for(
            [channels["telegram"], channels["website"]],
            action="submit",
            **{f"variant_{telegram}": long_text},
        ),
    )
    assert response.status_code == 400
    page = text(response)
    assert "بیش از ۴٬۰۹۶ نویسه نمی‌پذیرد" in page
    post = Post.objects.get()
    assert post.status == PostStatus.DRAFT
    # Without the variant the default text (title and lead) is cut by the outbox with a
    # link to the site: a warning, not a refusal.
    response = client.post(
        f"/publishing/posts/{post.pk}/edit/",
        data_for([channels["telegram"], channels["website"]], lead=long_text, action="save"),
    )
    page = text(client.get(response["Location"]))
    assert "بریده می‌شود" in page
    response = client.post(f"/publishing/posts/{post.pk}/submit/")
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW


@pytest.mark.slow
def test_with_photos_a_long_text_goes_after_them_and_eitaa_warns(login, member, agency, channels):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="عنوان",
        body="<p>" + "الف" * 1100 + "</p>",
        channels=[channels["bale"], channels["eitaa"]],
    )
    for _ in range(2):
        services.post_photo_add(actor=member, post=post, image=jpeg(50, 40), alt_text="عکس")
    client = login(member)
    page = text(client.get(f"/publishing/posts/{post.pk}/edit/"))
    assert "متن برای توضیح عکس در بله بلند است" in page
    assert "ایتا آلبوم ندارد" in page


def test_an_eleventh_photo_is_refused_the_largest_album_is_ten(member, agency, channels):
    from django.core.exceptions import ValidationError

    post = services.post_create(
        actor=member,
        organisation=agency,
        title="عکس‌ها",
        body="<p>کوتاه</p>",
        channels=[channels["telegram"]],
    )
    for _ in range(10):
        services.post_photo_add(actor=member, post=post, image=jpeg(20, 20), alt_text="عکس")
    with pytest.raises(ValidationError) as error:
        services.post_photo_add(actor=member, post=post, image=jpeg(20, 20), alt_text="عکس")
    assert "دست‌بالا ۱۰ عکس" in " ".join(error.value.messages)
    assert post.photos.count() == 10


# --- photos ---------------------------------------------------------------------------


def test_a_photo_is_resized_and_reencoded_as_jpeg(login, member, agency, channels):
    client = login(member)
    url = f"/publishing/organisations/{agency.pk}/new/"
    upload = jpeg(3200, 1800, "PNG")
    response = client.post(
        url,
        data_for([channels["telegram"]], action="save", photo=upload, photo_alt="کارگاه آموزشی"),
    )
    assert response.status_code == 302
    photo = PostPhoto.objects.get()
    assert photo.alt_text == "کارگاه آموزشی"
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600 and stored.size == (1600, 900)
    # Only those who may see the post see the photo.
    assert client.get(f"/publishing/photos/{photo.pk}/").status_code == 200


def test_a_non_image_is_refused_in_persian(login, member, agency, channels):
    client = login(member)
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", "image/jpeg")
    response = client.post(
        f"/publishing/organisations/{agency.pk}/new/",
        data_for([channels["telegram"]], action="save", photo=fake, photo_alt="عکس"),
    )
    assert response.status_code == 400
    assert "این پرونده عکس نیست" in text(response)
    assert not PostPhoto.objects.exists()


def test_a_photo_needs_its_alt_text(login, member, agency, channels):
    client = login(member)
    response = client.post(
        f"/publishing/organisations/{agency.pk}/new/",
        data_for([channels["telegram"]], action="save", photo=jpeg(10, 10)),
    )
    assert response.status_code == 400
    assert "در عکس چه دیده می‌شود" in text(response)


def test_photos_of_another_agency_are_hidden(login, member, other_owner, agency, channels):
    post = services.post_create(actor=member, organisation=agency, title="ع", body="<p>م</p>")
    photo = services.post_photo_add(actor=member, post=post, image=jpeg(10, 10), alt_text="ع")
    assert login(other_owner).get(f"/publishing/photos/{photo.pk}/").status_code == 404


def test_alt_text_can_be_changed_and_a_photo_removed(login, member, agency, channels):
    post = services.post_create(actor=member, organisation=agency, title="ع", body="<p>م</p>")
    keep = services.post_photo_add(actor=member, post=post, image=jpeg(10, 10), alt_text="یک")
    drop = services.post_photo_add(actor=member, post=post, image=jpeg(10, 10), alt_text="دو")
    client = login(member)
    response = client.post(
        f"/publishing/posts/{post.pk}/edit/",
        data_for(
            [],
            action="save",
            **{
                f"photo_alt_{keep.pk}": "نمای تالار",
                f"photo_alt_{drop.pk}": "دو",
                f"photo_remove_{drop.pk}": "on",
            },
        ),
    )
    assert response.status_code == 302
    assert list(post.photos.values_list("alt_text", flat=True)) == ["نمای تالار"]


# --- repeated and crowded posts ---------------------------------------------------------


def test_warns_when_the_same_text_went_out_or_another_post_is_due_soon(
    login, member, agency, channels
):
    earlier = services.post_create(
        actor=member,
        organisation=agency,
        title="خبر آموزشی",
        body="<p>قبلی</p>",
        channels=[channels["telegram"]],
    )
    soon = services.post_create(
        actor=member,
        organisation=agency,
        title="مطلب دیگر",
        body="<p>دیگر</p>",
        channels=[channels["bale"]],
    )
    Post.objects.filter(pk__in=[earlier.pk, soon.pk]).update(status=PostStatus.SENT)
    now = timezone.now()
    Delivery.objects.create(
        post=earlier,
        channel=channels["telegram"],
        state=DeliveryState.SENT,
        sent_at=now - timedelta(days=3),
    )
    Delivery.objects.create(post=soon, channel=channels["bale"], due_at=now + timedelta(minutes=4))
    client = login(member)
    url = f"/publishing/organisations/{agency.pk}/new/"
    page = text(
        client.post(url, data_for([channels["telegram"], channels["bale"]], apply="body:all"))
    )
    assert "همین متن پیش‌تر در تلگرام" in page
    assert "«مطلب دیگر»" in page and "کمتر از ده دقیقه" in page
    quiet = text(client.post(url, data_for([channels["eitaa"]], apply="body:all")))
    assert "هشدار تکرار" not in quiet
