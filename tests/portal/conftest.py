import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hamafza.publishing.models import Post, PostPhoto, PostStatus


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The list pages are cached for a minute; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg(colour=(11, 93, 107)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 180), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def make_post(agency):
    """`make_post(title=…, status=…, published=True, photos=0, organisation=…)`."""
    counter = {"n": 0}

    def make(
        title="افتتاح مرکز مشاوره خانواده در زاهدان",
        *,
        status=PostStatus.SENT,
        published=True,
        photos=0,
        organisation=None,
        **extra,
    ):
        counter["n"] += 1
        now = timezone.now()
        post = Post.objects.create(
            organisation=organisation or agency,
            title=title,
            lead=extra.pop("lead", "مرکز تازه به خانواده‌های شهر زاهدان مشاوره رایگان می‌دهد."),
            body=extra.pop("body", "<p>متن کامل خبر درباره مرکز مشاوره.</p>"),
            status=status,
            published_at=now - timedelta(minutes=counter["n"]) if published else None,
            **extra,
        )
        for index in range(photos):
            PostPhoto.objects.create(
                post=post, image=jpeg(), alt_text=f"نمای ساختمان مرکز {index + 1}", position=index
            )
        return post

    return make
