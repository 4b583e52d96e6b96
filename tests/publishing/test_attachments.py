"""A post's several photos at once, and its one video or document: checked by the upload
helper from its bytes, refused for the ticked channels that cannot take it, and sent by
the outbox through each platform's own method (against the local servers)."""

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hamafza.core.uploads import POST_ATTACHMENT, FileRules, file_accept
from hamafza.publishing import outbox, services
from hamafza.publishing.models import Delivery, PostAttachment
from hamafza.publishing.platforms import telegram as telegram_module
from hamafza_fakes import FakeEitaa, FakeRubika, FakeTelegram

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(data: bytes, name: str, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type)


def png(shade: int, name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (shade, 80, 120)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def settle(box, *, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while Delivery.objects.filter(state__in=["pending", "retry", "leased"]).exists():
        assert time.monotonic() < deadline, "the outbox did not settle"
        box.drain()
        time.sleep(0.05)


def approved(member, reviewer, agency, channel, *, photos=0, attachment=None, lead="کوتاه"):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="گزارش تصویری",
        lead=lead,
        body="<p>متن</p>",
        channels=[channel],
    )
    for i in range(photos):
        services.post_photo_add(actor=member, post=post, image=png(40 * i), alt_text=f"عکس {i}")
    if attachment is not None:
        services.post_attachment_set(actor=member, post=post, upload=attachment)
    services.post_submit(actor=member, post=post)
    return services.post_approve(actor=reviewer, post=post)


# --- the upload helper ----------------------------------------------------------------


def test_a_file_is_judged_by_its_bytes_not_its_name():
    video = file_accept(upload(MP4, "report.pdf", "application/pdf"))
    assert (video.kind, video.format, video.display_name) == ("video", "MP4", "report.mp4")
    document = file_accept(upload(docx(), "../../گزارش سال.docx"))
    assert (document.kind, document.format) == ("document", "DOCX")
    assert document.display_name == "گزارش سال.docx"  # no folders from the browser
    with pytest.raises(ValidationError) as error:
        file_accept(upload(b"MZ\x90\x00" + b"\x00" * 100, "report.pdf", "application/pdf"))
    assert "گونه‌های پذیرفتنی" in error.value.messages[0]
    assert "PDF" in error.value.messages[0]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    rules = FileRules(max_bytes=1024 * 1024, formats=POST_ATTACHMENT.formats)
    big = upload(PDF + b"0" * (1024 * 1024), "big.pdf")
    with pytest.raises(ValidationError) as error:
        file_accept(big, rules=rules)
    assert error.value.messages == ["این پرونده بزرگ‌تر از ۱ مگابایت است."]


# --- the composer -----------------------------------------------------------------------


def test_three_photos_picked_at_once_are_all_added_with_the_shared_text(
    login, member, agency, channels
):
    client = login(member)
    response = client.post(
        f"/publishing/organisations/{agency.pk}/new/",
        {
            "kind": "news",
            "title": "بازدید از مرکز",
            "body": "متن",
            "when": "now",
            "channels": [channels["telegram"].pk],
            "photo": [png(10, "a.png"), png(90, "b.png"), png(200, "c.png")],
            "photo_alt": "بازدید مدیرکل از مرکز",
            "action": "save",
        },
    )
    assert response.status_code == 302
    post = channels["telegram"].organisation.posts.get()
    assert [p.alt_text for p in post.photos.all()] == ["بازدید مدیرکل از مرکز"] * 3
    page = client.get(response["Location"]).content.decode()
    assert page.count('class="photo"') == 3


def test_more_photos_than_the_largest_album_are_refused_and_nothing_is_lost(
    login, member, agency, channels
):
    client = login(member)
    response = client.post(
        f"/publishing/organisations/{agency.pk}/new/",
        {
            "kind": "news",
            "title": "بازدید از مرکز",
            "body": "متن",
            "when": "now",
            "photo": [png(i * 20, f"{i}.png") for i in range(11)],
            "photo_alt": "بازدید",
            "action": "save",
        },
    )
    assert response.status_code == 400
    assert "هر مطلب دست‌بالا ۱۰ عکس می‌گیرد" in response.content.decode()
    assert response.context["form"]["title"].value() == "بازدید از مرکز"  # kept as typed


def test_the_composer_names_the_ticked_channel_that_cannot_take_the_file_and_submit_refuses(
    login, member, agency, channels, monkeypatch
):
    # Telegram's bots upload 50 MB; a smaller figure here keeps the test's file small.
    small = telegram_module.PLATFORM.__class__(
        **{**telegram_module.PLATFORM.__dict__, "max_file_bytes": 1024 * 1024}
    )
    monkeypatch.setattr(telegram_module.TelegramAdapter, "platform", small)
    client = login(member)
    video = upload(MP4 + b"\x00" * (2 * 1024 * 1024), "film.mp4", "video/mp4")
    response = client.post(
        f"/publishing/organisations/{agency.pk}/new/",
        {
            "kind": "news",
            "title": "فیلم افتتاح",
            "body": "متن",
            "when": "now",
            "channels": [channels["telegram"].pk, channels["website"].pk],
            "attachment": video,
            "action": "submit",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "تلگرام پرونده‌ای بزرگ‌تر از ۱ مگابایت را از ربات نمی‌گیرد" in page
    assert "این ویدیو ۲ مگابایت است" in page
    post = agency.posts.get()
    assert post.status == "draft"  # saved, not sent for review
    assert post.attachment.kind == "video" and post.attachment.name == "film.mp4"
    # Without Telegram the same post goes to review.
    services.post_update(actor=member, post=post, channels=[channels["website"]])
    assert services.post_submit(actor=member, post=post).status == "in_review"


def test_a_new_attachment_takes_the_place_of_the_old_one(
    member, agency, django_capture_on_commit_callbacks
):
    post = services.post_create(actor=member, organisation=agency, title="سند", body="<p>م</p>")
    first = services.post_attachment_set(actor=member, post=post, upload=upload(PDF, "a.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        services.post_attachment_set(actor=member, post=post, upload=upload(docx(), "b.docx"))
    assert list(PostAttachment.objects.filter(post=post).values_list("name", flat=True)) == [
        "b.docx"
    ]
    assert not first.file.storage.exists(first.file.name)


# --- the outbox, against the local servers ---------------------------------------------------


@pytest.fixture
def telegram():
    with FakeTelegram() as api:
        yield api


@pytest.fixture
def telegram_connected(owner, channels, telegram):
    return services.channel_connect(
        actor=owner,
        channel=channels["telegram"],
        token="123:bot-token",
        chat_id="@behzisti_sb",
        base_url=telegram.base_url,
    )


def test_a_video_alone_goes_with_sendvideo_and_the_text_as_its_caption(
    telegram_connected, telegram, member, reviewer, agency, channels
):
    post = approved(member, reviewer, agency, channels["telegram"], attachment=upload(MP4, "f.mp4"))
    settle(outbox.Outbox("attach"))
    row = Delivery.objects.get(post=post, operation="publish")
    assert row.state == "sent"
    [call] = [c for c in telegram.calls if c.method.startswith("send")]
    assert call.method == "sendVideo"
    assert call.files["video"] == ("f.mp4", MP4)
    assert call.params["caption"].startswith("گزارش تصویری")
    assert row.parts == [{"kind": "video", "ids": [row.remote_id], "text": True}]


@pytest.mark.slow
def test_photos_and_a_document_go_as_album_then_document_and_an_edit_changes_the_caption(
    telegram_connected, telegram, member, reviewer, agency, channels
):
    post = approved(
        member, reviewer, agency, channels["telegram"], photos=2, attachment=upload(PDF, "r.pdf")
    )
    box = outbox.Outbox("attach")
    settle(box)
    sends = [c for c in telegram.calls if c.method.startswith("send")]
    assert [c.method for c in sends] == ["sendMediaGroup", "sendDocument"]
    assert "caption" not in sends[1].params  # the album carries the text
    assert sends[1].files["document"] == ("r.pdf", PDF)
    services.post_correct(actor=reviewer, post=post, lead="لید درست", note="لید")
    settle(box)
    [edit] = telegram.calls_to("editMessageCaption")
    first = Delivery.objects.get(post=post, operation="publish").remote_id.split(",")[0]
    assert str(edit.params["message_id"]) == first
    assert "لید درست" in telegram.message("@behzisti_sb", int(first))["caption"]


def test_a_file_too_large_for_telegram_fails_once_and_is_not_retried(
    owner, member, reviewer, agency, channels
):
    with FakeTelegram(max_upload_bytes=50) as api:
        services.channel_connect(
            actor=owner,
            channel=channels["telegram"],
            token="123:bot-token",
            chat_id="@behzisti_sb",
            base_url=api.base_url,
        )
        post = approved(
            member, reviewer, agency, channels["telegram"], attachment=upload(PDF * 3, "r.pdf")
        )
        settle(outbox.Outbox("attach"))
        row = Delivery.objects.get(post=post, operation="publish")
        assert row.state == "failed"
        assert "413" in row.last_error and "larger" in row.last_error
        assert len(api.calls_to("sendDocument")) == 1
        assert row.channel.connection.state == "ok"  # the post, not the connection


def test_eitaa_sends_a_document_with_sendfile_and_rubika_uploads_a_video_as_video(
    owner, member, reviewer, agency, channels
):
    with FakeEitaa() as eitaa, FakeRubika() as rubika:
        services.channel_connect(
            actor=owner,
            channel=channels["eitaa"],
            token="eitaa-token",
            chat_id="behzisti_sb",
            base_url=eitaa.base_url,
        )
        services.channel_connect(
            actor=owner,
            channel=channels["rubika"],
            token="rubika-token",
            chat_id="c0BXyz12aB3cd",
            base_url=rubika.base_url,
        )
        document = approved(
            member, reviewer, agency, channels["eitaa"], attachment=upload(docx(), "d.docx")
        )
        video = approved(
            member, reviewer, agency, channels["rubika"], attachment=upload(MP4, "v.mp4")
        )
        settle(outbox.Outbox("attach"))
        assert {d.state for d in Delivery.objects.filter(post__in=[document, video])} == {"sent"}
        [sent] = eitaa.calls_to("sendFile")
        assert sent.files["file"][0] == "d.docx" and sent.params["caption"]
        assert [c.params["type"] for c in rubika.calls_to("requestSendFile")] == ["Video"]
        [message] = rubika.messages("c0BXyz12aB3cd")
        assert message["kind"] == "video"


def test_a_correction_of_a_video_post_edits_the_video_caption_in_place(
    telegram_connected, telegram, member, reviewer, agency, channels
):
    post = approved(member, reviewer, agency, channels["telegram"], attachment=upload(MP4, "f.mp4"))
    box = outbox.Outbox("attach")
    settle(box)
    services.post_correct(actor=reviewer, post=post, lead="لید درست", note="لید")
    settle(box)
    video_id = Delivery.objects.get(post=post, operation="publish").remote_id
    [edit] = telegram.calls_to("editMessageCaption")
    assert str(edit.params["message_id"]) == video_id
    [message] = telegram.messages("@behzisti_sb")  # no correction message: edited
    assert message["kind"] == "video" and "لید درست" in message["caption"]


def test_the_editor_downloads_the_attached_document_and_an_outsider_cannot(
    login, member, outsider, agency
):
    post = services.post_create(actor=member, organisation=agency, title="سند", body="<p>م</p>")
    item = services.post_attachment_set(actor=member, post=post, upload=upload(PDF, "r.pdf"))
    response = login(member).get(f"/publishing/attachments/{item.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert login(outsider).get(f"/publishing/attachments/{item.pk}/").status_code == 404
