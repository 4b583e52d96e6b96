"""One way in for every file a person uploads, whichever app or API takes it.

An upload is judged by what it is, never by what it says it is: the file name and the
browser's content type are ignored, Pillow's detected format decides. Images are decoded
and encoded again, which drops every piece of metadata they carried (EXIF with its GPS
position, XMP, comments) after their EXIF orientation has been applied to the pixels.
Limits come first and cost nothing: the byte size before anything is read, the pixel
count from the header before anything is decoded (a 1 KB PNG can claim 400 million
pixels, and Pillow's own default lets ~179 MP through).

Usage, in a service (the authority, whoever calls it)::

    image = image_accept(upload, rules=POST_PHOTO, field="photo")
    photo.image.save(image.name, image.content, save=False)
    photo.width, photo.height = image.width, image.height

and in a form, the same limits without the decoding (`image_check`), so a person hears
about a file too large beside the field. Files are stored in one of two places
(`storage_for`): PRIVATE, served only through a permission-checked view (and, for post
photos, the public gate in core.media once the post is published), or PUBLIC, for files
public from birth, which the app (embedded default) or the proxy (at scale) serves
straight from PUBLIC_MEDIA_ROOT.
"""

from __future__ import annotations

import contextlib
import enum
import io
import threading
import uuid
import warnings
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from hamafza.persian.digits import to_persian_digits

MB = 1024 * 1024

CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
_FORMAT_LABELS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}


class Visibility(enum.Enum):
    PRIVATE = "private"  # only through a view that checks who asks
    PUBLIC = "public"  # anyone, straight from PUBLIC_MEDIA_ROOT


@dataclass(frozen=True)
class ImageRules:
    """What one kind of upload may be. `formats` are Pillow's format names; `output` is
    the format stored (JPEG flattens transparency onto white)."""

    max_bytes: int = 15 * MB
    max_pixels: int = 40_000_000  # a 48 MP phone photo is 8000 × 6000; 40 MP: 7300 × 5500
    formats: frozenset[str] = field(default_factory=lambda: frozenset({"JPEG", "PNG", "WEBP"}))
    max_side: int | None = 1600  # the longer side after resizing; None keeps the size
    output: str = "JPEG"
    quality: int = 85


# Post photos: what the composer takes and the channels receive.
POST_PHOTO = ImageRules()


@dataclass(frozen=True)
class AcceptedImage:
    content: ContentFile
    width: int
    height: int
    format: str

    @property
    def name(self) -> str:
        return self.content.name

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]


def _error(message: str, field_name: str | None, code: str) -> ValidationError:
    if field_name:
        return ValidationError({field_name: ValidationError(message, code=code)})
    return ValidationError(message, code=code)


def _not_an_image(rules: ImageRules, field_name: str | None) -> ValidationError:
    kinds = "، ".join(_FORMAT_LABELS.get(f, f) for f in sorted(rules.formats))
    return _error(
        _("این پرونده عکس نیست؛ یک عکس %(kinds)s بفرستید.") % {"kinds": kinds},
        field_name,
        "not_an_image",
    )


def _too_many_pixels(rules: ImageRules, field_name: str | None) -> ValidationError:
    megapixels = to_persian_digits(str(rules.max_pixels // 1_000_000))
    return _error(
        _("این عکس بیش از %(mp)s مگاپیکسل است؛ آن را کوچک‌تر کنید و دوباره بفرستید.")
        % {"mp": megapixels},
        field_name,
        "too_many_pixels",
    )


def _read(upload, rules: ImageRules, field_name: str | None) -> io.BytesIO:
    """The upload's bytes, once its size is known to be within the limit (read no further
    than the limit either way: a size can be missing or wrong). Pillow then works on this
    copy, never on the upload, which stays open and unread for the caller."""
    size = getattr(upload, "size", None)
    data = b""
    if size is None or size <= rules.max_bytes:
        upload.seek(0)
        data = upload.read(rules.max_bytes + 1)
        upload.seek(0)
    if (size or 0) > rules.max_bytes or len(data) > rules.max_bytes:
        limit = to_persian_digits(str(rules.max_bytes // MB))
        raise _error(
            _("این پرونده بزرگ‌تر از %(mb)s مگابایت است.") % {"mb": limit}, field_name, "too_big"
        )
    return io.BytesIO(data)


@contextlib.contextmanager
def _bombs_refused():
    """Pillow warns (and goes on decoding) between its pixel limit and twice it: make that
    an error while we open and decode, so the person hears about the pixels, and no
    warning reaches the logs. (catch_warnings swaps the process-wide filter list; two
    threads interleaving here can at worst leave this one filter on, which is harmless.)"""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _open(data: io.BytesIO, rules: ImageRules, field_name: str | None) -> Image.Image:
    """Open the header only: the format by content, the size, the pixel cap."""
    data.seek(0)
    try:
        with _bombs_refused():
            image = Image.open(data, formats=sorted(rules.formats))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(rules, field_name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _not_an_image(rules, field_name) from None
    if image.format not in rules.formats:
        image.close()
        raise _not_an_image(rules, field_name)
    width, height = image.size
    if width * height > rules.max_pixels:
        image.close()
        raise _too_many_pixels(rules, field_name)
    return image


def image_check(upload, *, rules: ImageRules = POST_PHOTO, field: str | None = None) -> None:
    """The limits and the type, without decoding the pixels: for forms, so the error is
    shown beside the field. Raises ValidationError (keyed by `field` when given)."""
    _open(_read(upload, rules, field), rules, field).close()


def _flatten(image: Image.Image, output: str) -> Image.Image:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if output == "JPEG":
        if has_alpha:
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            return flat
        return image.convert("RGB")
    return image.convert("RGBA" if has_alpha else "RGB")


# A 40 MP PNG takes some 160 MB decoded, and a copy or two on the way: one decoding at a
# time per process keeps several editors uploading at once from exhausting the memory.
_DECODING = threading.BoundedSemaphore(1)


def image_accept(
    upload, *, rules: ImageRules = POST_PHOTO, field: str | None = None
) -> AcceptedImage:
    """Check an uploaded image and make it safe to store: upright, resized to
    rules.max_side, encoded again as rules.output with no metadata at all, under a
    random name. Returns an AcceptedImage; raises ValidationError in Persian."""
    data = _read(upload, rules, field)
    try:
        with _open(data, rules, field) as probe:
            probe.verify()  # a truncated or corrupt file fails here, before decoding
        with _DECODING, _open(data, rules, field) as image, _bombs_refused():
            if rules.max_side and image.format == "JPEG":
                # Decode a large JPEG straight at a fraction of its size (never below
                # max_side): a 40 MP photo then never takes its full 120 MB in memory.
                image.draft("RGB", (rules.max_side, rules.max_side))
            image.load()
            upright = ImageOps.exif_transpose(image)
            picture = _flatten(upright, rules.output)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(rules, field) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _not_an_image(rules, field) from None
    if rules.max_side:
        picture.thumbnail((rules.max_side, rules.max_side), Image.Resampling.LANCZOS)
    picture.info = {}  # nothing of the original's metadata (comments, XMP, ICC) goes on
    out = io.BytesIO()
    options = {"quality": rules.quality, "optimize": True}
    if rules.output == "PNG":
        options = {"optimize": True}
    picture.save(out, rules.output, **options)
    name = f"{uuid.uuid4().hex}.{EXTENSIONS[rules.output]}"
    return AcceptedImage(
        content=ContentFile(out.getvalue(), name=name),
        width=picture.width,
        height=picture.height,
        format=rules.output,
    )


# ---- where files live -----------------------------------------------------------------


class PublicMediaStorage(FileSystemStorage):
    """PUBLIC_MEDIA_ROOT at PUBLIC_MEDIA_URL, read from the settings when used (so tests
    that move the roots move this one too)."""

    @cached_property
    def base_location(self):
        from django.conf import settings

        return self._value_or_setting(self._location, settings.PUBLIC_MEDIA_ROOT)

    @cached_property
    def base_url(self):
        from django.conf import settings

        url = self._value_or_setting(self._base_url, settings.PUBLIC_MEDIA_URL)
        return url if url.endswith("/") else url + "/"

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("PUBLIC_MEDIA_ROOT", "PUBLIC_MEDIA_URL"):
            for name in ("base_location", "location", "base_url"):
                self.__dict__.pop(name, None)


def storage_for(visibility: Visibility) -> Storage:
    """The private storage is Django's default (MEDIA_ROOT, never served as a folder);
    the public one is STORAGES["public_media"]."""
    return storages["default" if visibility is Visibility.PRIVATE else "public_media"]


# ---- files that are not images: a video or a document ------------------------------------


@dataclass(frozen=True)
class FileFormat:
    label: str  # as a person reads it
    content_type: str
    extension: str
    kind: str  # "video" or "document": how a messenger sends it


FILE_FORMATS = {
    "MP4": FileFormat("MP4", "video/mp4", "mp4", "video"),
    "PDF": FileFormat("PDF", "application/pdf", "pdf", "document"),
    "DOCX": FileFormat(
        "Word (DOCX)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "document",
    ),
    "XLSX": FileFormat(
        "Excel (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "document",
    ),
    "PPTX": FileFormat(
        "PowerPoint (PPTX)",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        "document",
    ),
}

# ISO base media files whose major brand says MP4 (ISO/IEC 14496-12 and -14 brands; a
# QuickTime .mov says "qt  " and is not taken: not every messenger plays it).
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V "}
# An Office Open XML package is a zip with these parts (ECMA-376 part 2).
_OOXML_PARTS = {
    "DOCX": "word/document.xml",
    "XLSX": "xl/workbook.xml",
    "PPTX": "ppt/presentation.xml",
}


@dataclass(frozen=True)
class FileRules:
    """What one kind of file upload may be: its formats (keys of FILE_FORMATS) and size."""

    max_bytes: int
    formats: frozenset[str]


# A post's video or document. The messengers take less (Telegram's bots 50 MB): their own
# limits are checked against the channels the post goes to.
POST_ATTACHMENT = FileRules(max_bytes=100 * MB, formats=frozenset(FILE_FORMATS))


@dataclass(frozen=True)
class AcceptedFile:
    """A checked upload: its format by content, the name to store it under (random), the
    name to show and send (the person's, cleaned, with the right extension)."""

    format: str
    size: int
    name: str
    display_name: str

    @property
    def kind(self) -> str:
        return FILE_FORMATS[self.format].kind

    @property
    def content_type(self) -> str:
        return FILE_FORMATS[self.format].content_type


def _sniff(upload) -> str | None:
    """The format of the upload from its bytes (never its name or declared type)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return "MP4"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as package:  # reads the directory, extracts nothing
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            for name, part in _OOXML_PARTS.items():
                if part in names:
                    return name
    return None


def _display_name(original: str, extension: str) -> str:
    """The person's file name, without its folders or odd characters, ending in the
    extension its content has."""
    stem = (original or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = "".join(c for c in stem if c.isalnum() or c in " -_()")
    stem = " ".join(stem.split())[:80] or "file"
    return f"{stem}.{extension}"


def file_accept(upload, *, rules: FileRules = POST_ATTACHMENT, field: str | None = None):
    """Check a video or document upload: its size first (before anything is read), then
    its format from its bytes. Returns an AcceptedFile (the upload itself is what is
    stored); raises ValidationError in Persian."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    if size > rules.max_bytes:
        limit = to_persian_digits(str(rules.max_bytes // MB))
        raise _error(
            _("این پرونده بزرگ‌تر از %(mb)s مگابایت است.") % {"mb": limit}, field, "too_big"
        )
    if size == 0:
        raise _error(_("این پرونده خالی است."), field, "empty")
    found = _sniff(upload)
    if found not in rules.formats:
        kinds = "، ".join(FILE_FORMATS[f].label for f in sorted(rules.formats))
        raise _error(
            _("این پرونده از گونه‌های پذیرفتنی نیست؛ یکی از این‌ها بفرستید: %(kinds)s.")
            % {"kinds": kinds},
            field,
            "not_allowed",
        )
    spec = FILE_FORMATS[found]
    return AcceptedFile(
        format=found,
        size=size,
        name=f"{uuid.uuid4().hex}.{spec.extension}",
        display_name=_display_name(getattr(upload, "name", ""), spec.extension),
    )
