"""The upload helper every app uses (core.uploads): limits before decoding, the type by
content, metadata dropped, orientation kept, and the two storages."""

import io
import os
import struct
import warnings
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile

from hamafza.core.uploads import (
    MB,
    POST_PHOTO,
    ImageRules,
    Visibility,
    image_accept,
    image_check,
    storage_for,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_MEDIA_ROOT = tmp_path / "media-public"


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def encoded(image: Image.Image, fmt="JPEG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width + 1))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def message(error: ValidationError, field="photo") -> str:
    return (
        " ".join(error.message_dict[field]) if hasattr(error, "error_dict") else error.messages[0]
    )


@pytest.mark.parametrize(
    "width, height",
    [
        (8000, 6250),  # 50 MP: over our 40 MP, under Pillow's own warning
        (10000, 10000),  # 100 MP: where Pillow would warn and go on decoding
        (20000, 20000),  # 400 MP: where Pillow refuses with an error of its own
    ],
)
def test_an_image_with_too_many_pixels_is_refused_in_persian(width, height):
    data = png_claiming(width, height)
    assert len(data) < 20_000  # small on the wire: only the header tells
    with warnings.catch_warnings(record=True) as caught:
        for check in (image_check, image_accept):
            with pytest.raises(ValidationError) as refused:
                check(upload(data, "bomb.png", "image/png"), rules=POST_PHOTO, field="photo")
            assert "مگاپیکسل" in message(refused.value)
            assert "۴۰" in message(refused.value)
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]


def test_an_image_under_the_pixel_cap_passes():
    image_check(upload(png_claiming(6000, 6000), "big.png", "image/png"), rules=POST_PHOTO)


def test_text_named_jpg_is_refused_whatever_the_browser_said():
    fake = upload(b"GIF89a? no: just text that says it is a photo\n" * 20, "photo.jpg")
    for check in (image_check, image_accept):
        with pytest.raises(ValidationError) as refused:
            check(fake, field="photo")
        assert "عکس نیست" in message(refused.value)
        assert refused.value.error_dict["photo"][0].code == "not_an_image"


def test_a_format_not_allowed_is_refused_even_when_pillow_reads_it():
    gif = upload(encoded(Image.new("RGB", (40, 30), (9, 9, 9)), "GIF"), "photo.jpg")
    with pytest.raises(ValidationError) as refused:
        image_accept(gif, field="photo")
    assert "JPEG، PNG، WebP" in message(refused.value)


def test_the_type_is_read_from_the_content_not_the_name():
    png = upload(
        encoded(Image.new("RGBA", (60, 40), (0, 0, 0, 0)), "PNG"), "scan.pdf", "text/plain"
    )
    accepted = image_accept(png)
    assert accepted.name.endswith(".jpg") and accepted.content_type == "image/jpeg"
    stored = Image.open(io.BytesIO(accepted.content.read()))
    assert stored.format == "JPEG"
    assert stored.getpixel((5, 5)) == (255, 255, 255)  # transparency flattened on white


def test_a_truncated_image_is_refused_not_a_500(monkeypatch):
    # WeasyPrint (the certificates' PDFs) turns this on for the whole process when it is
    # imported; Pillow then fills a truncated image in grey instead of refusing it.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
    data = encoded(Image.effect_noise((400, 300), 60).convert("RGB"), quality=90)
    with pytest.raises(ValidationError):
        image_accept(upload(data[: len(data) // 2]), field="photo")


def test_the_gps_position_and_every_other_piece_of_metadata_are_dropped():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (29.0, 29.0, 48.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (60.0, 51.0, 46.0)
    data = encoded(
        Image.new("RGB", (320, 240), (11, 93, 107)), exif=exif, comment=b"home of the editor"
    )
    with Image.open(io.BytesIO(data)) as original:  # the test's own sanity: it was there
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert original.info.get("comment")

    accepted = image_accept(upload(data))
    stored_bytes = accepted.content.read()
    with Image.open(io.BytesIO(stored_bytes)) as stored:
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not stored.getexif()
        assert "exif" not in stored.info and "comment" not in stored.info
    assert b"PhoneMaker" not in stored_bytes and b"home of the editor" not in stored_bytes


def test_the_exif_orientation_is_applied_to_the_pixels():
    # Stored landscape, left half red and right half blue; orientation 6 says "turn it
    # 90° clockwise to show it", so upright it is portrait with red on top.
    image = Image.new("RGB", (200, 100), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 100, 100))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    accepted = image_accept(upload(encoded(image, exif=exif, quality=95)))
    assert (accepted.width, accepted.height) == (100, 200)
    with Image.open(io.BytesIO(accepted.content.read())) as stored:
        assert stored.size == (100, 200)
        top, bottom = stored.getpixel((50, 30)), stored.getpixel((50, 170))
        assert top[0] > 200 and top[2] < 60, top
        assert bottom[2] > 200 and bottom[0] < 60, bottom
        assert ExifTags.Base.Orientation not in stored.getexif()  # not turned twice


def test_a_large_photo_is_resized_to_its_longer_side():
    accepted = image_accept(upload(encoded(Image.new("RGB", (4000, 2000), (1, 2, 3)))))
    assert (accepted.width, accepted.height) == (1600, 800)


def test_the_byte_limit_comes_before_anything_is_decoded():
    noise = encoded(Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)), "PNG")
    assert len(noise) > MB
    rules = ImageRules(max_bytes=MB)
    for check in (image_check, image_accept):
        with pytest.raises(ValidationError) as refused:
            check(upload(noise, "noise.png", "image/png"), rules=rules, field="photo")
        assert "بزرگ‌تر از ۱ مگابایت" in message(refused.value)
    image_accept(upload(noise, "noise.png", "image/png"), rules=ImageRules(max_bytes=2 * MB))


def test_a_size_that_lies_does_not_get_past_the_byte_limit():
    data = encoded(Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)), "PNG")
    lying = upload(data, "noise.png", "image/png")
    lying.size = 10  # a client can say anything; what is read counts
    with pytest.raises(ValidationError):
        image_accept(lying, rules=ImageRules(max_bytes=MB))


def test_the_composer_refuses_a_photo_over_fifteen_megabytes(login, member, agency):
    big = upload(b"\xff\xd8" + b"0" * (15 * MB), "big.jpg")
    response = login(member).post(
        f"/publishing/organisations/{agency.pk}/new/",
        {
            "kind": "news",
            "title": "خبر",
            "body": "متن",
            "when": "now",
            "action": "save",
            "photo": big,
            "photo_alt": "عکس",
        },
    )
    assert response.status_code == 400 or response.status_code == 200
    assert "بزرگ‌تر از ۱۵ مگابایت" in response.content.decode()


def test_private_and_public_storages_live_apart(settings, client):
    private = storage_for(Visibility.PRIVATE)
    public = storage_for(Visibility.PUBLIC)
    private_name = private.save("kits/secret.jpg", ContentFile(b"private"))
    public_name = public.save("kits/poster.jpg", ContentFile(b"public"))
    assert private.path(private_name).startswith(str(settings.MEDIA_ROOT))
    assert public.path(public_name).startswith(str(settings.PUBLIC_MEDIA_ROOT))
    assert public.url(public_name) == f"/media/public/{public_name}"

    served = client.get(public.url(public_name))
    assert served.status_code == 200 and b"".join(served.streaming_content) == b"public"
    assert served["Cache-Control"].startswith("public, max-age=")
    # A private file no app has declared public is not served by its address, nor is
    # anything outside the public folder reached from it.
    assert client.get(private.url(private_name)).status_code == 404
    assert client.get(f"/media/public/../media/{private_name}").status_code == 404
    assert client.get("/media/public/%2e%2e/secret_key").status_code == 404
