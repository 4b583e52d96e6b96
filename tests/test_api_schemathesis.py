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
from hamafza.network.models import Channel, Role
from hamafza.publishing import services
from hamafza.publishing.models import ChannelConnection
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


@pytest.fixture
def world(admin_user, owner, member, other_owner, outsider, agency, other_agency):
    """Who calls, in turn: a bearer token of each role, and no token at all; with posts
    in the early states and a connected channel for them to find."""

    reviewer = grant(make_user("reviewer"), agency, Role.REVIEWER)
    telegram = Channel.objects.create(organisation=agency, kind="telegram", handle="@behzisti")
    site = Channel.objects.create(organisation=agency, kind="website", handle="behzisti.ir")
    ChannelConnection.objects.create(
        channel=telegram, chat_id="@behzisti", token_encrypted=encrypt_token("1:secret")
    )
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
    people = [admin_user, owner, member, reviewer, other_owner, outsider]
    headers = [
        {"Authorization": f"Bearer {ApiToken.issue(user=p, name='schemathesis')[1]}"}
        for p in people
    ]
    return itertools.cycle([*headers, {}])


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
    case.call_and_validate(headers=next(world), checks=CHECKS)
