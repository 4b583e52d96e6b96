"""A local Instagram Graph API (content publishing): GET and POST under /<version>/, the
access token in the `access_token` parameter, answers in the Graph API's JSON and its
error envelope ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``.

Sources: Meta's content-publishing guide and the references of ig-user/media,
ig-user/media_publish, ig-container, ig-user/content_publishing_limit and error-codes
(developers.facebook.com/docs/instagram-platform); the answers' shapes also as open
clients read them (restfb's content_publishing_limit issue; schedulers' error tables).
- POST /{ig-user-id}/media {image_url, caption} -> {"id": container}; the fake *fetches
  image_url* at once, as Instagram does ("we cURL media ... it must be on a publicly
  accessible server"), and refuses what it cannot use: not fetched (not 200, not an
  image) -> 9004/2207052; over 8 MiB -> 36000/2207004; an aspect ratio outside
  4:5-1.91:1 -> 36003/2207009 (CONFIRMED codes; the fake refuses at creation, Instagram
  may also end the container in ERROR: `end_in_error` scripts that). Only JPEG is
  documented for photos; another type -> 9004/2207052 (UNCONFIRMED wording).
- A carousel: children {image_url, is_carousel_item=true}, then {media_type=CAROUSEL,
  children=<ids>, caption}, 2 to 10 children (CONFIRMED; newer pages allow 20), each
  FINISHED first (else 9007/2207027, UNCONFIRMED that the parent is refused for it).
- GET /{container}?fields=status_code,status: IN_PROGRESS for `processing_seconds`, then
  FINISHED; EXPIRED 24 hours after creation unless published; PUBLISHED once published
  (CONFIRMED values).
- POST /{ig-user-id}/media_publish {creation_id} -> {"id": media}; before FINISHED ->
  9007/2207027 "Media ID is not available" (CONFIRMED); an expired container -> -2/2207020
  (CONFIRMED); one already published -> 100 (UNCONFIRMED: our choice of answer); the 24-hour
  cap reached -> 9/2207042 (CONFIRMED). A carousel is one post.
- GET /{ig-user-id}/content_publishing_limit -> {"data": [{"quota_usage", "config":
  {"quota_total": 100, "quota_duration": 86400}}]} (CONFIRMED shape; 100 is today's figure,
  older pages say 25). `publish_elsewhere(user, n)` counts posts made by other tools.
- GET /{media}?fields=permalink -> https://www.instagram.com/p/<code>/; GET
  /{ig-user-id}?fields=username,followers_count.
- Errors: a bad token -> 190 OAuthException (HTTP 400), an expired one 190/463; no
  permission -> 10 (answer_403) or 200; an unknown id -> 100/33 "Unsupported get
  request"; rate limits -> 4 (answer_429), 17, 32, 613, no Retry-After; 5xx -> code 1 or 2
  with is_transient. The HTTP statuses are UNCONFIRMED (Graph mostly answers 400 for an
  error; clients read the code).
- Caption: at most 2,200 characters and 30 hashtags (CONFIRMED limits), refused with 100
  (UNCONFIRMED wording and code).

The rate limits below are our pacing's (the platform's are per hour and per app), and
are enforced only with `enforce_limits=True`; the 24-hour cap always is.
"""

from __future__ import annotations

import io
import itertools
import re
import secrets
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from .base import Answer, Call, FakePlatform

EDGES = ("media", "media_publish", "content_publishing_limit")
VERSION = re.compile(r"^v\d+\.\d+$")
ACCOUNT_ID = re.compile(r"^\d{5,25}$")
HASHTAG = re.compile(r"(?<![\w#&])#\w+")
DAY = 24 * 3600.0
OWN_IDS = "179"  # containers and media are numbered from 17900000000000001


class FakeInstagram(FakePlatform):
    name = "instagram"
    root_path = ""
    chat_param = "ig_user_id"
    # Our pacing (the descriptor's): UNCONFIRMED, see the module docstring.
    PER_BOT_PER_SECOND = 1
    PER_CHAT_PER_MINUTE = 2
    PER_CHAT_GAP = 10.0
    TEXT_LIMIT = 2200
    CAPTION_LIMIT = 2200
    COUNT_UTF16 = True
    HASHTAGS = 30
    QUOTA_TOTAL = 100  # API-published posts in a moving 24 hours
    MAX_IMAGE_BYTES = 8 * 1024 * 1024
    ASPECT = (4 / 5, 1.91)
    CAROUSEL = (2, 10)

    def __init__(self, *, processing_seconds: float = 0.2, fetch_timeout: float = 5.0, **kwargs):
        super().__init__(**kwargs)
        self.processing_seconds = processing_seconds
        self.fetch_timeout = fetch_timeout
        self.containers: dict[str, dict] = {}
        self.media: dict[str, dict] = {}
        self.fetched: list[dict] = []  # every image_url fetched: url, status, type, bytes
        self.elsewhere: dict[str, list[float]] = {}  # posts by other tools, per account
        self._errors_next: list[str] = []  # containers that will end in ERROR
        self._ids = itertools.count(17_900_000_000_000_001)

    # -- what a test may change ------------------------------------------------------------
    def publish_elsewhere(self, user: str, n: int) -> None:
        """`n` posts published just now through the API by another tool: they count."""
        with self.lock:
            self.elsewhere.setdefault(str(user), []).extend([self.now()] * n)

    def end_in_error(self, status: str = "Error: 2207009") -> None:
        """The next container Instagram accepts ends in ERROR with this status."""
        with self.lock:
            self._errors_next.append(status)

    def published(self, user: str) -> list[dict]:
        """The posts standing on the account, oldest first."""
        return self.messages(user)

    # -- routing ---------------------------------------------------------------------------
    def route(self, path: str) -> tuple[str, str] | None:
        parts = path.strip("/").split("/")
        if not parts or not VERSION.match(parts[0]):
            return None
        if len(parts) == 2:
            return "", "node"
        if len(parts) == 3 and parts[2] in EDGES:
            return "", parts[2]
        return None

    def no_route(self) -> Answer:
        return self.refuse(400, 2500, "Unknown path components", kind="OAuthException")

    def valid_chat_id(self, chat: str) -> bool:
        return bool(ACCOUNT_ID.match(chat))

    def counted(self, call: Call) -> int:
        return 1 if call.method == "media_publish" else 0

    def _answer(self, call: Call, arrived: float) -> Answer:
        call.token = str(call.params.get("access_token") or "")
        call.params["ig_user_id"] = call.path.strip("/").split("/")[1]
        if not call.token:
            return self.refuse(
                400,
                2500,
                "An active access token must be used to query information about the current user.",
                kind="OAuthException",
            )
        return super()._answer(call, arrived)

    # -- answers ---------------------------------------------------------------------------
    def refuse(
        self,
        http: int,
        code: int,
        message: str,
        *,
        subcode: int = 0,
        kind: str = "OAuthException",
        transient: bool = False,
    ) -> Answer:
        error: dict[str, Any] = {"message": message, "type": kind, "code": code}
        if subcode:
            error["error_subcode"] = subcode
        if transient:
            error["is_transient"] = True
        error["fbtrace_id"] = secrets.token_urlsafe(12)
        return Answer(http, {"error": error})

    def error(self, kind: str, retry_after: int, description: str) -> Answer:
        if kind in ("401", "bad_token"):
            return self.refuse(400, 190, "Invalid OAuth access token - Cannot parse access token")
        if kind == "expired":
            return self.refuse(
                400, 190, "Error validating access token: Session has expired.", subcode=463
            )
        if kind == "403":
            return self.refuse(400, 10, "Application does not have permission for this action")
        if kind == "200":
            return self.refuse(400, 200, "Permissions error")
        if kind in ("429", "4"):
            return self.refuse(400, 4, "Application request limit reached", transient=True)
        if kind in ("17", "32", "613"):
            return self.refuse(400, int(kind), "User request limit reached", transient=True)
        if kind == "quota":
            return self.quota_reached()
        if kind == "not_ready":
            return self.not_ready()
        if kind == "400":
            return self.refuse(400, 100, description or "Invalid parameter", kind="OAuthException")
        if kind == "2":
            return self.refuse(503, 2, "Service temporarily unavailable", transient=True)
        code = int(kind) if kind.isdigit() else 500
        return self.refuse(code, 1, "An unknown error has occurred.", transient=True)

    def quota_reached(self) -> Answer:
        return self.refuse(
            400,
            9,
            "Application request limit reached",
            subcode=2207042,
        )

    def not_ready(self) -> Answer:
        return self.refuse(400, 9007, "Media ID is not available", subcode=2207027)

    def unknown(self, node: str) -> Answer:
        return self.refuse(
            400,
            100,
            f"Unsupported get request. Object with ID '{node}' does not exist, cannot be"
            " loaded due to missing permissions, or does not support this operation.",
            subcode=33,
            kind="GraphMethodException",
        )

    # -- methods ---------------------------------------------------------------------------
    def dispatch(self, call: Call) -> Answer:
        node = call.params["ig_user_id"]
        with self.lock:
            if call.method == "node":
                return self._node(call, node)
            info = self.chat_info(node)
            if info is None:
                return self.unknown(node)
            if call.method != "content_publishing_limit" and not info["can_post_messages"]:
                return self.refuse(400, 10, "Application does not have permission for this action")
            if call.method == "media":
                return self._create(call, node)
            if call.method == "media_publish":
                return self._publish(call, node)
            return self.ok({"data": [self._quota(node)]})

    def ok(self, body: dict) -> Answer:
        return Answer(200, body)

    def _node(self, call: Call, node: str) -> Answer:
        fields = [f for f in str(call.params.get("fields") or "id").split(",") if f]
        container = self.containers.get(node)
        if container is not None:
            self._age(container)
            return self.ok(_pick({"id": node, **container}, fields))
        media = self.media.get(node)
        if media is not None:
            return self.ok(_pick({"id": node, **media}, fields))
        info = self.chat_info(node)
        if info is None or (node.startswith(OWN_IDS) and node not in self._chats):
            return self.unknown(node)  # one of its own ids that names nothing (any longer)
        account = {
            "id": node,
            "username": str(info.get("username") or f"account{node[-4:]}"),
            "followers_count": self.member_counts.get(node, 0),
            "media_count": len(self.messages(node)),
        }
        return self.ok(_pick(account, fields))

    def _create(self, call: Call, user: str) -> Answer:
        params = call.params
        caption = str(params.get("caption") or "")
        if self.length(caption) > self.CAPTION_LIMIT:
            return self.refuse(400, 100, "The caption is too long (2200 characters at most).")
        if len(HASHTAG.findall(caption)) > self.HASHTAGS:
            return self.refuse(400, 100, "The caption has more than 30 hashtags.")
        if str(params.get("media_type") or "").upper() == "CAROUSEL":
            return self._carousel(user, params, caption)
        url = str(params.get("image_url") or "")
        if not url:
            return self.refuse(400, 100, "The parameter image_url is required")
        problem, image = self._fetch(url)
        if problem is not None:
            return problem
        child = str(params.get("is_carousel_item") or "").lower() == "true"
        return self.ok(
            {"id": self._container(user, image_url=url, image=image, caption=caption, child=child)}
        )

    def _carousel(self, user: str, params: dict, caption: str) -> Answer:
        ids = [i for i in str(params.get("children") or "").split(",") if i]
        least, most = self.CAROUSEL
        if not least <= len(ids) <= most:
            return self.refuse(400, 100, f"A carousel takes {least} to {most} children.")
        children = [self.containers.get(i) for i in ids]
        if any(c is None or c["user"] != user or not c["child"] for c in children):
            return self.refuse(400, 100, "Invalid children: not carousel items of this user.")
        for child in children:
            self._age(child)
        if any(c["status_code"] != "FINISHED" for c in children):
            return self.not_ready()
        return self.ok({"id": self._container(user, children=ids, caption=caption)})

    def _container(self, user: str, **content) -> str:
        container = str(next(self._ids))
        ending, status = "FINISHED", ""
        if self._errors_next and not content.get("child"):
            ending, status = "ERROR", self._errors_next.pop(0)
        self.containers[container] = {
            "user": user,
            "status_code": "IN_PROGRESS",
            "status": "In Progress",
            "created": self.now(),
            "ending": ending,
            "ending_status": status,
            "child": bool(content.pop("child", False)),
            **content,
        }
        return container

    def _age(self, container: dict) -> None:
        """IN_PROGRESS for `processing_seconds`, then its ending; EXPIRED after 24 hours."""
        now = self.now()
        if container["status_code"] == "IN_PROGRESS":
            if now - container["created"] >= self.processing_seconds:
                container["status_code"] = container["ending"]
                container["status"] = (
                    container["ending_status"]
                    or "Finished: Media has been uploaded and it is ready to be published."
                )
        if container["status_code"] == "FINISHED" and now - container["created"] >= DAY:
            container["status_code"], container["status"] = "EXPIRED", "Expired"

    def _publish(self, call: Call, user: str) -> Answer:
        container_id = str(call.params.get("creation_id") or "")
        container = self.containers.get(container_id)
        if container is None or container["user"] != user or container["child"]:
            return self.refuse(400, 100, "Invalid parameter: creation_id")
        self._age(container)
        state = container["status_code"]
        if state == "IN_PROGRESS":
            return self.not_ready()
        if state == "EXPIRED":
            return self.refuse(
                400,
                -2,
                "The media you are trying to access has expired. Please try to upload again.",
                subcode=2207020,
            )
        if state == "PUBLISHED":
            return self.refuse(400, 100, "The media has already been published.")
        if state == "ERROR":
            return self.refuse(400, 9007, "The media container has an error.", subcode=2207001)
        if self._quota(user)["quota_usage"] >= self.QUOTA_TOTAL:
            return self.quota_reached()
        media_id = str(next(self._ids))
        code = secrets.token_urlsafe(8).replace("-", "x").replace("_", "y")
        kind = "carousel" if container.get("children") else "photo"
        images = (
            [self.containers[c]["image"] for c in container["children"]]
            if kind == "carousel"
            else [container["image"]]
        )
        self.media[media_id] = {
            "permalink": f"https://www.instagram.com/p/{code}/",
            "caption": container.get("caption", ""),
            "media_type": "CAROUSEL_ALBUM" if kind == "carousel" else "IMAGE",
        }
        self.store(
            user,
            media_id,
            kind,
            caption=container.get("caption", ""),
            images=images,
            container=container_id,
        )
        container["status_code"], container["status"] = "PUBLISHED", "Published"
        return self.ok({"id": media_id})

    def _quota(self, user: str) -> dict:
        since = self.now() - DAY
        ours = [m for m in self.messages(user) if m["sent_at"] > since]
        others = [t for t in self.elsewhere.get(user, []) if t > since]
        return {
            "quota_usage": len(ours) + len(others),
            "config": {"quota_total": self.QUOTA_TOTAL, "quota_duration": int(DAY)},
        }

    def _fetch(self, url: str) -> tuple[Answer | None, bytes]:
        """GET the image as Instagram's crawler would; the refusal if it cannot be used."""
        record: dict[str, Any] = {"url": url, "status": 0, "type": "", "bytes": b""}
        self.fetched.append(record)
        cannot = self.refuse(
            400, 9004, "Only photo or video can be accepted as media type.", subcode=2207052
        )
        if urlsplit(url).scheme not in ("http", "https"):
            return cannot, b""
        try:
            with urllib.request.urlopen(url, timeout=self.fetch_timeout) as answer:
                record["status"] = answer.status
                record["type"] = answer.headers.get("Content-Type", "")
                data = answer.read(self.MAX_IMAGE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            record["status"] = exc.code
            return cannot, b""
        except (urllib.error.URLError, OSError):
            return self.refuse(
                400, -2, "It takes too long to download the media.", subcode=2207003
            ), b""
        record["bytes"] = data
        if len(data) > self.MAX_IMAGE_BYTES:
            return self.refuse(400, 36000, "The image size is too large.", subcode=2207004), b""
        if not data.startswith(b"\xff\xd8\xff"):
            return cannot, b""
        ratio = _aspect(data)
        if ratio is None:
            return cannot, b""
        if not self.ASPECT[0] - 1e-3 <= ratio <= self.ASPECT[1] + 1e-3:
            return self.refuse(
                400, 36003, "The aspect ratio is not supported.", subcode=2207009
            ), b""
        return None, data


def _aspect(data: bytes) -> float | None:
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Exception:
        return None
    return width / height if height else None


def _pick(data: dict, fields: list[str]) -> dict:
    shown = {"id": data["id"]}
    for name in fields:
        if name in data and name not in ("user", "image", "created", "ending", "ending_status"):
            shown[name] = data[name]
    return shown
