"""Every operation of the JSON API (network, mawkib, publishing) against its own OpenAPI
schema, with schemathesis: no server error, every answer in its declared shape and with a
declared status, whoever calls (a token of each role in turn, and none). On one database
only (SQLite: the answers do not depend on the database), a few examples an operation."""

import itertools

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from hamafza.core.models import ApiToken
from hamafza.network.models import Channel, Membership, Role
from hamafza.publishing import services
from hamafza.publishing.models import ChannelConnection, Delivery
from hamafza.publishing.tokens import encrypt_token
from tests.conftest import grant, make_user

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        "sqlite" not in django_settings.DATABASES["default"]["ENGINE"],
        reason="run on one database only (SQLite)",
    ),
]

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
EXAMPLES = 15  # an operation: enough to meet each role, small enough for the suite's budget


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class World:
    """Who calls, in turn: a bearer token of each role, and no token at all. Every other
    call names the objects that exist (the agency, its posts in the early states, its
    connected channel, a membership) instead of the generated ids, so that the answers
    of those who may act are checked too, not only the 404s of ids that do not exist."""

    def __init__(self, headers, ids):
        self.headers, self.ids, self.calls = itertools.cycle(headers), ids, 0

    def prepare(self, case):
        self.calls += 1
        if self.calls % 2:
            for name in case.path_parameters or {}:
                choices = self.ids.get(name)
                if choices:
                    case.path_parameters[name] = choices[self.calls // 2 % len(choices)]
            if isinstance(case.body, dict):
                for name, choices in self.ids.items():
                    if name in case.body:
                        case.body[name] = choices[self.calls // 2 % len(choices)]
        return next(self.headers)


@pytest.fixture
def world(admin_user, owner, member, other_owner, outsider, agency, other_agency):
    reviewer = grant(make_user("reviewer"), agency, Role.REVIEWER)
    telegram = Channel.objects.create(organisation=agency, kind="telegram", handle="@behzisti")
    site = Channel.objects.create(organisation=agency, kind="website", handle="behzisti.ir")
    ChannelConnection.objects.create(
        channel=telegram, chat_id="@behzisti", token_encrypted=encrypt_token("1:secret")
    )
    posts = []
    for n in range(3):
        post = services.post_create(
            actor=member,
            organisation=agency,
            title=f"خبر {n}",
            body="<p>متن خبر</p>",
            channels=[telegram, site],
        )
        if n:
            services.post_submit(actor=member, post=post)
        if n == 2:
            services.post_approve(actor=reviewer, post=post)
            post.deliveries.filter(channel=telegram).update(state="unconfirmed")
        posts.append(post.pk)
    people = [admin_user, owner, member, reviewer, other_owner, outsider]
    headers = [
        {"Authorization": f"Bearer {ApiToken.issue(user=p, name='schemathesis')[1]}"}
        for p in people
    ]
    ids = {
        "org_id": [agency.pk],
        "organisation_id": [agency.pk],
        "post_id": posts,
        "channel_id": [telegram.pk, site.pk],
        "membership_id": list(Membership.objects.filter(user=member).values_list("pk", flat=True)),
        "channel_ids": [[telegram.pk, site.pk]],
        "delivery_id": list(Delivery.objects.values_list("pk", flat=True)),
    }
    return World([*headers, {}], ids)


# The schema as the site serves it (read without the database, at collection).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_to_its_schema(case, world):
    case.call_and_validate(headers=world.prepare(case), checks=CHECKS)
