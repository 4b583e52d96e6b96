"""Walk every page and every API endpoint as people who must not get in: an anonymous
visitor, a signed-in outsider with no role, and the PR manager of another agency. The
target objects all belong to `agency`. Any unexpected success fails the test, and so
does any change they manage to make (an audit entry written on their behalf).

A new URL with an id in it must be given a target in TARGET_KINDS: the walk refuses to
guess, and checks that each target is real (a person allowed there does not get a 404).
"""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hamafza.core.models import ApiToken, AuditEntry
from hamafza.mawkib.models import ShiftDemand
from hamafza.network.models import AudienceSnapshot, Channel, Membership
from hamafza.occasions.models import LunarMonthOverride
from hamafza.publishing.models import Delivery, Post, PostAttachment, PostPhoto
from tests.mawkib import conftest as mawkib_fixtures

# Pages any signed-in person may open (they show only what that person may see).
OPEN_TO_SIGNED_IN = {
    "home",
    "network:organisation_list",
    "password_change",
    "password_change_done",
    "api_tokens",
    "two_factor",
    "two_factor_verify",
}
# Pages anyone may open.
PUBLIC = {"login", "logout", "healthz", "healthz_workers"}
# Pages a PR manager of any agency may open; they list only that agency's people.
OPEN_TO_PR_MANAGERS = {"network:person_list", "network:person_create"}
# A PR manager writes and reviews their own agency's posts; these list only those.
OPEN_TO_PR_MANAGERS |= {"publishing:post_list", "publishing:review_queue", "publishing:calendar"}
# A PR manager nominates their own agency's staff as volunteers of an open season.
OPEN_TO_PR_MANAGERS |= {"mawkib:nominate"}
# What the agency's own editor may use: seeing the agency, keeping its channels.
OPEN_TO_EDITOR = {
    "network:organisation_detail",
    "network:channel_detail",
    "network:channel_add",
    "network:organisation_audience",
    "network:channel_audience",
    "publishing:post_list",
    "publishing:calendar",
    "publishing:organisation_posts",
    "publishing:post_new",
    "publishing:post_preview",
    "publishing:post_detail",
    "publishing:post_edit",
    "publishing:post_submit",
    "publishing:post_deliveries",
    "publishing:delivery_retry",  # the editor fixes a refused send in one click
    "publishing:post_retry_failed",
    "publishing:photo",
    "publishing:attachment",
    "publishing:organisation_reach",
}
SKIP_PREFIXES = ("admin:", "api:")  # the admin has its own staff check; the API is walked below


def _photo_of(post) -> PostPhoto:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (11, 93, 107)).save(buffer, "JPEG")
    upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")
    return PostPhoto.objects.create(post=post, image=upload, alt_text="عکس", width=40, height=30)


# The mawkib's shared fixtures (a season with its mawkibs, roles, shifts and a volunteer).
season = mawkib_fixtures.season
mawkibs = mawkib_fixtures.mawkibs
roles = mawkib_fixtures.roles
shift_days = mawkib_fixtures.shift_days
shifts = mawkib_fixtures.shifts
volunteer = mawkib_fixtures.volunteer

# The kind of object each address with an id fetches: the walk gives it a real one of that
# kind, so a refusal is the policy's and never a missing row. A new address with an id
# must be named here: the walk fails on one it has no target for.
TARGET_KINDS = {
    "api_token_revoke": "api_token",
    "occasions:lunar_override_remove": "lunar_override",
    **{
        f"network:{name}": "agency"
        for name in (
            "organisation_detail",
            "organisation_edit",
            "organisation_audit",
            "membership_add",
            "channel_add",
            "organisation_audience",
        )
    },
    "network:membership_revoke": "membership",
    "network:channel_detail": "channel",
    "network:channel_audience": "channel",
    "network:person_detail": "owner",
    "network:person_set_active": "owner",
    **{
        f"mawkib:{name}": "season"
        for name in (
            "season_detail",
            "season_edit",
            "season_copy_next",
            "role_create",
            "quota_set",
            "mawkib_create",
            "shifts_generate",
            "application_list",
            "nominate",
            "coverage",
        )
    },
    "mawkib:role_edit": "role",
    **{
        f"mawkib:{name}": "mawkib"
        for name in (
            "mawkib_detail",
            "mawkib_edit",
            "template_create",
            "checkin",
            "service_log",
        )
    },
    "mawkib:template_demand_set": "template",
    "mawkib:template_delete": "template",
    "mawkib:batch_detail": "batch",
    "mawkib:batch_undo": "batch",
    "mawkib:demand_capacity": "demand",
    **{
        f"mawkib:{name}": "application"
        for name in (
            "application_detail",
            "application_decide",
            "application_assign",
            "application_card",
        )
    },
    **{
        f"publishing:{name}": "agency"
        for name in (
            "organisation_posts",
            "post_new",
            "post_preview",
            "connections",
            "default_channels",
            "organisation_reach",
        )
    },
    **{
        f"publishing:{name}": "post"
        for name in (
            "post_detail",
            "post_edit",
            "post_submit",
            "post_approve",
            "post_return",
            "post_review_edit",
            "post_deliveries",
            "post_correct",
            "post_withdraw",
        )
    },
    "publishing:photo": "photo",
    "publishing:attachment": "attachment",
    "publishing:delivery_resolve": "delivery",
    "publishing:delivery_retry": "delivery",
    "publishing:post_retry_failed": "post",
    "publishing:channel_connect": "channel",
}


@pytest.fixture
def targets(agency, owner, member, settings, tmp_path, season, mawkibs, shifts, volunteer):
    settings.MEDIA_ROOT = tmp_path / "media"
    channel = Channel.objects.create(organisation=agency, kind="telegram", handle="@behzisti")
    override = LunarMonthOverride.objects.create(hijri_year=1448, month=2, first_day="2026-07-16")
    token, _key = ApiToken.issue(user=owner, name="owner's script")
    post = Post.objects.create(
        organisation=agency, title="خبر", body="<p>متن</p>", created_by=member
    )
    delivery = Delivery.objects.create(post=post, channel=channel, state="unconfirmed")
    photo = _photo_of(post)
    attachment = PostAttachment.objects.create(
        post=post,
        kind="document",
        file=SimpleUploadedFile("d.pdf", b"%PDF-1.4\n%%EOF\n"),
        name="d.pdf",
        content_type="application/pdf",
        size=15,
    )
    mawkib = mawkibs["mirjaveh"]
    template = mawkib.templates.first()
    objects = {
        "api_token": token,
        "lunar_override": override,
        "agency": agency,
        "owner": owner,
        "membership": Membership.objects.get(user=owner),
        "channel": channel,
        "post": post,
        "photo": photo,
        "attachment": attachment,
        "delivery": delivery,
        "season": season,
        "mawkib": mawkib,
        "role": template.demands.first().role,
        "template": template,
        "batch": shifts,
        "demand": ShiftDemand.objects.filter(shift__mawkib=mawkib).first(),
        "application": volunteer,
    }
    return {
        "photo": photo,
        "objects": objects,
        "kwargs": {},
        "api": {
            "org_id": agency.pk,
            "channel_id": channel.pk,
            "membership_id": Membership.objects.get(user=member).pk,
            "post_id": post.pk,
            "delivery_id": delivery.pk,
        },
    }


def _named_patterns(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _page_urls(targets):
    for name, pattern in _named_patterns(get_resolver()):
        if name.startswith(SKIP_PREFIXES):
            continue
        if name in PUBLIC or getattr(pattern.callback, "hamafza_public", False):
            continue  # meant for everyone (marked with hamafza.core.decorators.public)
        params = list(pattern.pattern.converters)
        if not params:
            yield name, reverse(name)
            continue
        kwargs = {p: targets["kwargs"][p] for p in params if p in targets["kwargs"]}
        assert params == ["pk"] or len(kwargs) == len(params), f"{name}: teach the walk {params}"
        if params == ["pk"]:
            assert name in TARGET_KINDS, f"{name}: name the kind of its target in TARGET_KINDS"
            kwargs = {"pk": targets["objects"][TARGET_KINDS[name]].pk}
        yield name, reverse(name, kwargs=kwargs)


@pytest.fixture(params=["anonymous", "outsider", "other_owner", "member"])
def intruder(request, client, outsider, other_owner, member):
    """`member` is the agency's own editor: inside, but read-only for what a manager does."""
    people = {"outsider": outsider, "other_owner": other_owner, "member": member}
    if request.param != "anonymous":
        client.force_login(people[request.param])
    return request.param, client


@pytest.mark.slow
def test_pages_refuse_intruders(intruder, targets):
    who, client = intruder
    audit_before = AuditEntry.objects.count()
    checked = 0
    for name, url in _page_urls(targets):
        if who == "member" and name in OPEN_TO_EDITOR:
            continue  # allowed: tests/network covers what the editor does there
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"members": "5", "taken_on": "1405/05/17"})
            checked += 1
            status = response.status_code
            if who == "anonymous":
                assert status in (302, 405), f"{method.upper()} {url} let an anonymous visitor in"
                if status == 302:
                    assert response["Location"].startswith(reverse("login")), url
            elif name in OPEN_TO_SIGNED_IN or (
                who == "other_owner" and name in OPEN_TO_PR_MANAGERS
            ):
                assert status in (200, 302, 405), f"{method.upper()} {url}: {status}"
                assert "نارویی" not in response.content.decode(), (
                    f"{url} leaked the agency's people"
                )
            else:
                assert status in (403, 404, 405), f"{method.upper()} {url} answered {who} {status}"
    assert checked > 20
    assert AuditEntry.objects.count() == audit_before, "an intruder changed something"
    assert not AudienceSnapshot.objects.exists()
    assert LunarMonthOverride.objects.count() == 1
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


@pytest.mark.slow
def test_every_target_is_real(targets, owner):
    """The refusals above count only if the objects exist: someone the policy lets
    through everywhere (a superuser) finds every address with an id, none a 404."""
    from tests.conftest import make_user

    root = Client()
    root.force_login(make_user("root", is_superuser=True, is_staff=True))
    manager = Client()  # for a PR manager's role (not the superuser's) and their own tokens
    manager.force_login(owner)
    as_owner = OPEN_TO_PR_MANAGERS | {"api_token_revoke"}
    with_ids = [(name, url) for name, url in _page_urls(targets) if name in TARGET_KINDS]
    assert len(with_ids) == len(TARGET_KINDS)  # and no name here that the site lacks
    for name, url in with_ids:
        client = manager if name in as_owner else root
        status = client.get(url).status_code
        if status == 405:  # a form's target: sent empty, in a transaction undone after
            with transaction.atomic():
                status = client.post(url, {}).status_code
                transaction.set_rollback(True)
        assert status not in (404, 405), f"{name}: {url} answered {status}"


def test_private_media_is_not_reachable_by_its_address(intruder, targets):
    """/media/ is public only for what an app declares public now (a published post's
    photo). The draft's photo is a 404 there for everyone, the agency's editor included
    (who sees it through publishing:photo), and so is every crafted path."""
    _who, client = intruder
    photo = targets["photo"]
    name = photo.image.name
    for url in (
        photo.image.url,
        f"/media/{name.rsplit('/', 1)[0]}/",
        f"/media/public/{name}",
        f"/media/public/../{name}",
        "/media/%2e%2e/secret_key",
    ):
        for method in ("get", "head", "post"):
            status = getattr(client, method)(url).status_code
            assert status in (404, 405), f"{method.upper()} {url} answered {status}"


# Bodies valid enough that only the policy can refuse them.
API_BODIES = {
    "/api/network/organisations": {"name": "x", "slug": "x", "kind": "agency", "province_id": 1},
    "/api/network/organisations/{org_id}": {"name": "ربوده"},
    "/api/network/organisations/{org_id}/memberships": {"user_id": 1, "role": "editor"},
    "/api/network/organisations/{org_id}/channels": {"kind": "bale", "handle": "@x"},
    "/api/network/channels/{channel_id}": {"title": "ربوده"},
    "/api/network/channels/{channel_id}/audience": {"taken_on": "2026-08-08", "members": 1},
    "/api/mawkib/signup": {"demand_id": 1},
    "/api/publishing/posts": {"organisation_id": 1, "title": "ربوده"},
    "/api/publishing/posts/{post_id}": {"title": "ربوده"},
    "/api/publishing/posts/{post_id}/schedule": {"publish_at": None},
    "/api/publishing/posts/{post_id}/approve": {"confirm": True},
    "/api/publishing/posts/{post_id}/return": {"reason": "ربوده"},
    "/api/publishing/posts/{post_id}/withdraw": {"reason": ""},
    "/api/publishing/posts/{post_id}/correct": {"title": "ربوده"},
    "/api/publishing/deliveries/{delivery_id}/resolve": {"sent": True},
}
# Sent as a form with a file (multipart), not as JSON.
API_UPLOADS = {"/api/publishing/posts/{post_id}/photos"}
API_OPEN_TO_SIGNED_IN = {("get", "/api/network/me"), ("get", "/api/network/organisations")}
# Volunteers have no account: these need the applicant session a tracking code opens.
API_FOR_APPLICANTS = {("post", "/api/mawkib/signup")}
API_OPEN_TO_EDITOR = {
    ("get", "/api/network/organisations/{org_id}"),
    ("get", "/api/network/organisations/{org_id}/memberships"),
    ("get", "/api/network/organisations/{org_id}/channels"),
    ("post", "/api/network/organisations/{org_id}/channels"),
    ("patch", "/api/network/channels/{channel_id}"),
    ("get", "/api/network/channels/{channel_id}/audience"),
    ("post", "/api/network/channels/{channel_id}/audience"),
    # The editor writes the agency's posts (tests/publishing/test_api.py).
    ("get", "/api/publishing/posts"),
    ("post", "/api/publishing/posts"),
    ("get", "/api/publishing/posts/{post_id}"),
    ("patch", "/api/publishing/posts/{post_id}"),
    ("post", "/api/publishing/posts/{post_id}/photos"),
    ("post", "/api/publishing/posts/{post_id}/submit"),
    ("post", "/api/publishing/posts/{post_id}/schedule"),
    ("get", "/api/publishing/posts/{post_id}/deliveries"),
}
# A PR manager of another agency lists the posts: their own, none of this agency's.
API_OWN_POSTS = {("get", "/api/publishing/posts")}


def _api_operations(client, targets):
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method in operations:
            yield method, path, path.format(**targets["api"])


def test_api_refuses_intruders(intruder, targets, agency, province):
    who, client = intruder
    API_BODIES["/api/network/organisations"]["province_id"] = province.pk
    API_BODIES["/api/publishing/posts"]["organisation_id"] = agency.pk
    audit_before = AuditEntry.objects.count()
    operations = list(_api_operations(client, targets))
    assert len(operations) >= 10
    for method, template, url in operations:
        if who == "member" and (
            (method, template) in API_OPEN_TO_EDITOR or (method, template) in API_OPEN_TO_SIGNED_IN
        ):
            continue  # allowed: tests/network covers what the editor does there
        body = API_BODIES.get(template) if method in ("post", "patch", "put") else None
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body else {}
        if template in API_UPLOADS:
            image = SimpleUploadedFile("p.png", b"\x89PNG\r\n", content_type="image/png")
            kwargs = {"data": {"image": image, "alt_text": "ربوده"}}
        response = getattr(client, method)(url, **kwargs)
        status = response.status_code
        if who == "anonymous" or (method, template) in API_FOR_APPLICANTS:
            assert status == 401, f"{method.upper()} {url} answered {who} {status}"
        elif (method, template) in API_OPEN_TO_SIGNED_IN:
            assert status == 200
            assert agency.name not in response.content.decode(), f"{url} leaked another agency"
        elif who == "other_owner" and (method, template) in API_OWN_POSTS:
            assert status == 200 and response.json()["count"] == 0, f"{url} leaked posts"
        else:
            assert status in (403, 404), f"{method.upper()} {url} answered {who} {status}"
    assert AuditEntry.objects.count() == audit_before, "an intruder changed something"
