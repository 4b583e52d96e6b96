"""FakeInstagram: the Graph API's paths under a version, the token in `access_token`, its
error envelope, the container's states, the 24-hour cap, and the image it fetches itself
(hamafza_fakes/instagram.py gives the sources)."""

import json
from urllib.parse import urlencode

import pytest

from hamafza_fakes import FakeInstagram

from .conftest import HTTP, started

TOKEN = "EAAG-fake-token"
USER = "17841400000000001"


@pytest.fixture
def api(clock):
    fake = started(FakeInstagram(processing_seconds=5, chats={USER: {"members": 40}}), clock)
    yield fake
    fake.stop()


def get(api, path, **params):
    query = urlencode({**params, "access_token": TOKEN})
    reply = HTTP.request("GET", f"{api.base_url}/v21.0/{path}?{query}")
    return reply.status, json.loads(reply.data)


def post(api, path, **params):
    fields = {**params, "access_token": TOKEN}
    reply = HTTP.request(
        "POST", f"{api.base_url}/v21.0/{path}", fields=fields, encode_multipart=False
    )
    return reply.status, json.loads(reply.data)


def test_errors_come_in_the_graph_envelope(api):
    api.answer_401()
    status, body = get(api, USER, fields="username")
    assert status == 400
    assert set(body["error"]) >= {"message", "type", "code", "fbtrace_id"}
    assert (body["error"]["code"], body["error"]["type"]) == (190, "OAuthException")
    status, body = get(api, "17841499999999999", fields="username")
    assert (body["error"]["code"], body["error"]["error_subcode"]) == (100, 33)
    reply = HTTP.request("GET", f"{api.base_url}/{USER}?access_token={TOKEN}")  # no version
    assert reply.status == 400


def test_the_account_answers_its_name_and_followers(api):
    status, body = get(api, USER, fields="username,followers_count")
    assert status == 200 and body["followers_count"] == 40 and body["id"] == USER


def test_a_container_of_an_unreachable_image_is_refused(api):
    status, body = post(api, f"{USER}/media", image_url="http://127.0.0.1:9/x.jpg", caption="x")
    assert status == 400 and body["error"]["error_subcode"] in (2207052, 2207003)
    assert api.fetched[0]["url"] == "http://127.0.0.1:9/x.jpg"


def test_a_container_is_in_progress_then_finished_then_published_once(api, clock):
    api.containers["1"] = {  # as if its image had been fetched
        "user": USER,
        "status_code": "IN_PROGRESS",
        "status": "",
        "created": api.now(),
        "ending": "FINISHED",
        "ending_status": "",
        "child": False,
        "image": b"",
        "caption": "x",
    }
    assert get(api, "1", fields="status_code")[1]["status_code"] == "IN_PROGRESS"
    status, body = post(api, f"{USER}/media_publish", creation_id="1")
    assert (body["error"]["code"], body["error"]["error_subcode"]) == (9007, 2207027)
    clock.tick(6)
    assert get(api, "1", fields="status_code")[1]["status_code"] == "FINISHED"
    status, body = post(api, f"{USER}/media_publish", creation_id="1")
    assert status == 200 and body["id"] in api.media
    assert get(api, "1", fields="status_code")[1]["status_code"] == "PUBLISHED"
    assert post(api, f"{USER}/media_publish", creation_id="1")[0] == 400  # never twice
    assert len(api.published(USER)) == 1


def test_the_cap_counts_the_last_24_hours(api, clock):
    api.publish_elsewhere(USER, 100)
    _status, body = get(api, f"{USER}/content_publishing_limit", fields="quota_usage,config")
    assert body["data"][0] == {
        "quota_usage": 100,
        "config": {"quota_total": 100, "quota_duration": 86400},
    }
    clock.tick(24 * 3600 + 1)
    assert get(api, f"{USER}/content_publishing_limit")[1]["data"][0]["quota_usage"] == 0
