"""Instagram's content publishing against the local Graph API: a container from the photo's
public address (the local server really fetches it), polled until ready, published within
the 24-hour cap; and every answer class, the connection check and the follower count."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from hamafza.publishing.platforms import instagram
from hamafza.publishing.platforms.base import Message, Outcome, Part, plan
from hamafza.publishing.platforms.instagram import InstagramAdapter
from hamafza_fakes import FakeInstagram, refused_url, unanswered_connect

TOKEN = "EAAG-instagram-SECRET-token"
ACCOUNT = "17841400000000001"


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


PHOTOS = {"/media/posts/a.jpg": jpeg(40, 40), "/media/posts/b.jpg": jpeg(50, 40)}
PHOTOS["/media/posts/wide.jpg"] = jpeg(100, 40)  # 2.5:1, wider than Instagram takes


@pytest.fixture(scope="module")
def site():
    """The public site's media, as a plain server the local Instagram fetches from."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = PHOTOS.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "image/jpeg" if body else "text/html")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(autouse=True)
def _public_site(settings, site):
    settings.PUBLIC_SITE_URL = site


@pytest.fixture
def api():
    with FakeInstagram(processing_seconds=0.0) as fake:
        yield fake


def adapter(base_url, chat_id=ACCOUNT, token=TOKEN, **kwargs):
    kwargs.setdefault("timeout", 2.0)
    kwargs.setdefault("connect_timeout", 1.0)
    a = InstagramAdapter(base_url=base_url, token=token, chat_id=chat_id, **kwargs)
    a.poll_pause = 0.05
    a.kept = []
    a.keep_prepared = a.kept.append
    return a


def photo_message(site, *names, text="خبر با عکس #روابط_عمومی"):
    urls = [f"{site}/media/posts/{name}" for name in names]
    return Message(text=text, photos=[b"x"] * len(urls), photo_urls=urls, link="https://x.ir/p/1")


def test_a_photo_goes_as_a_container_then_a_publication(api, site):
    a = adapter(api.base_url)
    result = a.publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.SENT
    (post,) = api.published(ACCOUNT)
    assert result.remote_id == post["message_id"]
    assert result.remote_url == api.media[post["message_id"]]["permalink"]
    assert [c.method for c in api.calls] == [
        "media",
        "node",
        "content_publishing_limit",
        "media_publish",
        "node",
    ]
    create, status, limit, publish, permalink = api.calls
    assert create.path == f"/v21.0/{ACCOUNT}/media"
    assert create.params["image_url"] == f"{site}/media/posts/a.jpg"
    assert create.params["caption"] == "خبر با عکس #روابط_عمومی"
    assert create.params["access_token"] == TOKEN and TOKEN not in create.path
    assert status.params["fields"] == "status_code,status"
    assert limit.params["fields"] == "quota_usage,config"
    container = api.containers[publish.params["creation_id"]]
    assert container["image_url"] == create.params["image_url"]
    assert a.kept == [publish.params["creation_id"]]  # kept the moment it existed
    assert permalink.path == f"/v21.0/{post['message_id']}"
    # Instagram fetched the photo from the site: it is public and it is an image.
    (fetched,) = api.fetched
    assert fetched["status"] == 200 and fetched["bytes"] == PHOTOS["/media/posts/a.jpg"]


def test_the_graph_version_comes_from_the_settings(api, site, settings):
    settings.INSTAGRAM_GRAPH_VERSION = "v22.0"
    assert adapter(api.base_url).publish(photo_message(site, "a.jpg")).outcome == Outcome.SENT
    assert all(c.path.startswith("/v22.0/") for c in api.calls)


def test_several_photos_go_as_one_carousel(api, site):
    result = adapter(api.base_url).publish(photo_message(site, "a.jpg", "b.jpg", "a.jpg"))
    assert result.outcome == Outcome.SENT
    creates = api.calls_to("media")
    assert [c.params.get("is_carousel_item") for c in creates[:3]] == ["true"] * 3
    assert all("caption" not in c.params for c in creates[:3])
    parent = creates[3].params
    assert parent["media_type"] == "CAROUSEL"
    children = [api.containers[c]["image_url"] for c in parent["children"].split(",")]
    assert children == [f"{site}/media/posts/{n}" for n in ("a.jpg", "b.jpg", "a.jpg")]
    assert parent["caption"] == "خبر با عکس #روابط_عمومی"
    (post,) = api.published(ACCOUNT)  # a carousel is one post
    assert post["kind"] == "carousel" and len(post["images"]) == 3
    assert len(api.calls_to("media_publish")) == 1


def test_a_container_in_progress_is_asked_again_until_finished(site):
    with FakeInstagram(processing_seconds=0.15) as api:
        result = adapter(api.base_url).publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.SENT
    methods = [c.method for c in api.calls]
    assert methods.count("node") >= 3  # IN_PROGRESS at least once, then FINISHED, permalink
    assert methods.index("media_publish") > methods.index("node")


def test_a_container_still_in_progress_comes_back_later_and_is_kept(site):
    with FakeInstagram(processing_seconds=30) as api:
        a = adapter(api.base_url)
        result = a.publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.RETRY
    assert result.retry_after == instagram.NOT_READY_PAUSE
    assert api.calls_to("media_publish") == []
    assert a.kept == list(api.containers)  # the next attempt goes on from it


def test_a_kept_container_is_published_and_no_second_one_made(api, site):
    a = adapter(api.base_url)
    message = photo_message(site, "a.jpg")
    (part,) = plan(a.platform, message)
    first = a.prepare(part, message)  # made, and then the worker died
    api.reset()
    again = a.prepare(Part(part.kind, part.text, part.photos, prepared=first.prepared), message)
    assert again.prepared == first.prepared
    assert api.calls_to("media") == []
    assert a.send(again, message).outcome == Outcome.SENT
    assert len(api.published(ACCOUNT)) == 1


def test_a_kept_container_already_published_is_sent_without_posting_again(api, site):
    a = adapter(api.base_url)
    message = photo_message(site, "a.jpg")
    first = a.publish(message)
    container = api.calls_to("media_publish")[0].params["creation_id"]
    api.reset()
    (part,) = plan(a.platform, message)
    result = a.prepare(Part(part.kind, part.text, part.photos, prepared=container), message)
    assert first.outcome == Outcome.SENT and result.outcome == Outcome.SENT
    assert api.calls_to("media_publish") == [] and api.calls_to("media") == []
    assert len(api.published(ACCOUNT)) == 1


def test_an_expired_kept_container_is_replaced(api, site):
    a = adapter(api.base_url)
    message = photo_message(site, "a.jpg")
    (part,) = plan(a.platform, message)
    old = a.prepare(part, message).prepared
    api.advance(25 * 3600)  # not published within 24 hours
    result = a.prepare(Part(part.kind, part.text, part.photos, prepared=old), message)
    assert isinstance(result, Part) and result.prepared != old
    assert a.kept[-1] == result.prepared
    assert a.send(result, message).outcome == Outcome.SENT


def test_a_full_day_waits_and_keeps_the_container(api, site):
    api.publish_elsewhere(ACCOUNT, 100)  # the account's 100 posts of the last 24 hours
    a = adapter(api.base_url)
    result = a.publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.WAIT
    assert result.retry_after == instagram.QUOTA_FULL_PAUSE
    assert "سقف انتشار روزانه" in result.error and "100/100" in result.error
    assert api.calls_to("media_publish") == []
    assert a.kept == list(api.containers)


def test_the_cap_refused_at_publishing_waits_too(api, site):
    api.fail_next("quota", method="media_publish")
    result = adapter(api.base_url).publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.WAIT
    assert "2207042" in result.error


def test_a_caption_at_the_limit_goes_and_one_over_is_refused_before_any_call(api, site):
    exact = "ک" * 2200
    assert adapter(api.base_url).publish(photo_message(site, "a.jpg", text=exact)).outcome == (
        Outcome.SENT
    )
    api.reset()
    over = adapter(api.base_url).publish(photo_message(site, "a.jpg", text=exact + "ک"))
    assert over.outcome == Outcome.FAILED and "۲٬۲۰۰ نویسه نمی‌پذیرد" in over.error
    assert api.calls == []


def test_more_than_30_hashtags_are_refused_before_any_call(api, site):
    text = " ".join(f"#برچسب{i}" for i in range(31))
    result = adapter(api.base_url).publish(photo_message(site, "a.jpg", text=text))
    assert result.outcome == Outcome.FAILED and "هشتگ" in result.error
    assert api.calls == []


def test_a_text_alone_cannot_go_and_says_to_do_it_by_hand(api):
    result = adapter(api.base_url).publish(Message(text="اصلاحیه", link="https://x.ir/p/1"))
    assert result.outcome == Outcome.FAILED
    assert "با دست" in result.error and "https://x.ir/p/1" in result.error
    assert api.calls == []


def test_edit_and_delete_are_not_supported(api):
    a = adapter(api.base_url)
    assert a.edit([], Message(text="x")).outcome == Outcome.FAILED
    assert a.delete([]).outcome == Outcome.FAILED
    assert not a.platform.can_edit and not a.platform.can_delete


@pytest.mark.parametrize("kind", ["401", "expired", "403", "200"])
def test_a_bad_or_expired_token_or_no_permission_breaks_the_connection(api, site, kind):
    api.fail_next(kind)
    result = adapter(api.base_url).publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.CREDENTIALS
    assert TOKEN not in result.error


def test_a_token_the_platform_does_not_know_is_credentials():
    with FakeInstagram(valid_tokens={"other"}) as api:
        result = adapter(api.base_url).publish(Message(text="x", photos=[b"x"], photo_urls=["u"]))
    assert result.outcome == Outcome.CREDENTIALS and "190" in result.error


def test_an_unknown_account_is_credentials(site):
    with FakeInstagram(chats={ACCOUNT}) as api:
        result = adapter(api.base_url, chat_id="17841499999999999").publish(
            photo_message(site, "a.jpg")
        )
    assert result.outcome == Outcome.CREDENTIALS and "100/33" in result.error


@pytest.mark.parametrize("kind", ["429", "17", "32", "613"])
def test_rate_limits_are_retried_after_a_pause(api, site, kind):
    api.fail_next(kind)
    result = adapter(api.base_url).publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.RETRY
    assert result.retry_after == instagram.RATE_LIMIT_PAUSE


@pytest.mark.parametrize("kind", ["500", "2"])
def test_server_trouble_is_retried(api, site, kind):
    api.fail_next(kind, method="media_publish")
    result = adapter(api.base_url).publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.RETRY
    assert api.published(ACCOUNT) == []


def test_a_photo_the_site_does_not_serve_is_refused_in_persian(api, site):
    result = adapter(api.base_url).publish(photo_message(site, "missing.jpg"))
    assert result.outcome == Outcome.FAILED
    assert "نتوانست عکس را" in result.error and "2207052" in result.error
    assert api.fetched[0]["status"] == 404


def test_a_photo_too_wide_is_refused_with_its_reason(api, site):
    result = adapter(api.base_url).publish(photo_message(site, "wide.jpg"))
    assert result.outcome == Outcome.FAILED
    assert "۴:۵" in result.error and "2207009" in result.error


def test_a_container_that_ends_in_error_fails_and_is_forgotten(api, site):
    api.end_in_error("Error: 2207009")
    a = adapter(api.base_url)
    result = a.publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.FAILED and "ERROR" in result.error
    assert a.kept[-1] == ""  # a later attempt makes a new one


def test_publish_before_ready_is_retried_shortly(api, site):
    api.fail_next("not_ready", method="media_publish")
    result = adapter(api.base_url).publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.RETRY
    assert result.retry_after == instagram.NOT_READY_PAUSE


def test_no_answer_to_publish_is_looked_up_on_the_container(api, site):
    api.hang(seconds=2, method="media_publish")  # it posts, the answer comes too late
    result = adapter(api.base_url, timeout=0.3).publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.SENT  # the container says PUBLISHED
    assert len(api.published(ACCOUNT)) == 1


def test_no_answer_and_no_look_up_is_unconfirmed(api, site):
    api.hang(seconds=2, method="media_publish")
    a = adapter(api.base_url, timeout=0.3)
    a._look_up = lambda container, unconfirmed: unconfirmed
    assert a.publish(photo_message(site, "a.jpg")).outcome == Outcome.UNCONFIRMED


def test_a_status_read_with_no_answer_is_simply_retried(api, site):
    api.hang(seconds=2, method="content_publishing_limit")
    result = adapter(api.base_url, timeout=0.3).publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.RETRY
    assert TOKEN not in result.error


def test_connect_refused_and_connect_timeout_are_retry(site):
    result = adapter(refused_url()).publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.RETRY and TOKEN not in result.error
    with unanswered_connect() as url:
        result = adapter(url, connect_timeout=0.3).publish(photo_message(site, "a.jpg"))
    assert result.outcome == Outcome.RETRY


def test_the_check_asks_the_account_name(api):
    assert adapter(api.base_url).check() == ""
    call = api.calls[0]
    assert call.method == "node" and call.params["fields"] == "username"


def test_the_check_says_what_is_wrong_in_persian(api, settings):
    api.fail_next("401")
    assert "توکن دسترسی اینستاگرام" in adapter(api.base_url).check()
    api.fail_next("403")
    assert "instagram_content_publish" in adapter(api.base_url).check()
    with FakeInstagram(chats={ACCOUNT}) as other:
        assert "پیدا نشد" in adapter(other.base_url, chat_id="17841499999999999").check()
    calls = len(api.calls)
    settings.PUBLIC_SITE_URL = ""
    assert "PUBLIC_SITE_URL" in adapter(api.base_url).check()
    settings.PUBLIC_SITE_URL = "http://news.example.ir"
    assert "https" in adapter(api.base_url).check()
    assert len(api.calls) == calls  # refused before asking Instagram


def test_the_follower_count_is_the_audience():
    with FakeInstagram(chats={ACCOUNT: {"members": 1234}}) as api:
        assert adapter(api.base_url).member_count() == 1234
        assert api.calls[0].params["fields"] == "followers_count"
    with FakeInstagram(valid_tokens={"other"}) as api:
        assert adapter(api.base_url).member_count() is None


def test_the_token_in_a_query_never_reaches_a_log_line(api, caplog):
    import logging

    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")
    assert adapter(api.base_url).check() == ""
    assert "access_token=***" in caplog.text
    assert TOKEN not in caplog.text


def test_a_kept_container_another_account_cannot_see_is_replaced(api, site):
    a = adapter(api.base_url)
    message = photo_message(site, "a.jpg")
    (part,) = plan(a.platform, message)
    ready = a.prepare(Part(part.kind, part.text, part.photos, prepared="17999999999"), message)
    assert isinstance(ready, Part) and ready.prepared in api.containers
    assert a.kept == ["", ready.prepared]
