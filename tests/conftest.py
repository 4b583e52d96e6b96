"""Shared people for every test: a network admin, an agency's owner (PR manager) and
member (editor), someone of a second agency, and an outsider with no role at all."""

import os

import pytest
from django.contrib.auth import get_user_model
from hypothesis import settings

from hamafza.network.models import (
    County,
    Membership,
    Organisation,
    OrganisationKind,
    Province,
    Role,
)

PASSWORD = "a-long-test-password-1405"

# The property tests answer the same on every run (a random find is a flaky suite, not a
# bug report); HYPOTHESIS_PROFILE=explore searches afresh, as a person looking for bugs does.
settings.register_profile("suite", derandomize=True, database=None)
settings.register_profile("explore", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


def sign_in_through_the_form(client, username: str, password: str) -> bool:
    """Sign in as a person does, through /login/ (and so through the throttle)."""
    client.post("/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


def make_user(username: str, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    return user


def grant(user, org, role):
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def province(db):
    return Province.objects.create(name="سیستان و بلوچستان", slug="sb")


@pytest.fixture
def county(province):
    return County.objects.create(province=province, name="زاهدان", slug="zahedan")


@pytest.fixture
def hub(province, county):
    return Organisation.objects.create(
        name="اداره کل تعاون، کار و رفاه اجتماعی سیستان و بلوچستان",
        slug="hub",
        kind=OrganisationKind.HUB,
        province=province,
        county=county,
    )


@pytest.fixture
def agency(hub):
    return Organisation.objects.create(
        name="اداره کل بهزیستی",
        slug="behzisti",
        kind=OrganisationKind.AGENCY,
        province=hub.province,
        parent=hub,
    )


@pytest.fixture
def other_agency(hub):
    return Organisation.objects.create(
        name="اداره کل تأمین اجتماعی",
        slug="tamin",
        kind=OrganisationKind.AGENCY,
        province=hub.province,
        parent=hub,
    )


@pytest.fixture
def admin_user(hub):
    return grant(
        make_user("netadmin", first_name="سید مهدی", last_name="حسینی"), hub, Role.NETWORK_ADMIN
    )


@pytest.fixture
def owner(agency):
    return grant(make_user("owner", first_name="زهرا", last_name="نارویی"), agency, Role.PR_MANAGER)


@pytest.fixture
def member(agency):
    return grant(make_user("member", first_name="علی", last_name="ریگی"), agency, Role.EDITOR)


@pytest.fixture
def other_owner(other_agency):
    return grant(
        make_user("other", first_name="مریم", last_name="شهرکی"), other_agency, Role.PR_MANAGER
    )


@pytest.fixture
def outsider(db):
    return make_user("outsider", first_name="ناشناس", last_name="بیرونی")


@pytest.fixture
def login(client):
    """`login(user)` returns the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The real hasher is slow on purpose; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_two_factor_requirement_cached():
    """Each test starts with no role required to use two-factor sign-in, known to the
    cache as the pages find it (so query counts do not depend on the order of tests)."""
    from django.core.cache import cache

    from hamafza.network.policy import REQUIRED_ROLES_CACHE

    cache.set(REQUIRED_ROLES_CACHE, set(), 60)


@pytest.fixture(autouse=True)
def _sms_gateway_not_busy():
    """A busy gateway seen by one test (a flag in the cache for a minute) is not the next's."""
    from django.core.cache import cache

    cache.delete("core:sms:busy")


@pytest.fixture(autouse=True)
def _local_platform_servers(settings):
    """The messenger platforms are reached only at local servers in tests."""
    settings.PUBLISHING_ALLOW_LOCAL_API = True


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def password() -> str:
    """The password every test user is created with."""
    return PASSWORD


@pytest.fixture(autouse=True)
def _fresh_lunar_overrides():
    """A test's rolled-back overrides must not linger in the per-process cache."""
    from hamafza.occasions.selectors import forget_lunar_overrides

    forget_lunar_overrides()
    yield
    forget_lunar_overrides()


@pytest.fixture(scope="session", autouse=True)
def _own_redis_database(worker_id):
    """With Redis for cache and sessions, each xdist worker gets a database of its own:
    a test that clears the cache must not log out the other worker's users."""
    from django.conf import settings
    from django.test import override_settings

    cache = settings.CACHES["default"]
    if "redis" not in cache["BACKEND"].lower() or worker_id == "master":
        yield
        return
    base, _, db = cache["LOCATION"].rpartition("/")
    index = int(worker_id.removeprefix("gw"))
    location = f"{base}/{(int(db or 0) - index) % 16}"
    with override_settings(CACHES={**settings.CACHES, "default": {**cache, "LOCATION": location}}):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache(_own_redis_database):
    """Each test starts with an empty cache: ids are reused after a rollback, and a value
    remembered for one test's row must not speak for another's."""
    from django.core.cache import cache

    cache.clear()


def run_worker():
    """Run the task worker until the queue is empty, in this process."""
    from django.core.management import call_command

    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def queued_rows_text() -> str:
    """Everything the task queue and the SMS notices hold, as one text: what a code or a
    key must never be found in."""
    import json

    from django_tasks_db.models import DBTaskResult

    from hamafza.core.models import SmsNotice

    tasks = list(DBTaskResult.objects.values("args_kwargs", "return_value"))
    notices = list(SmsNotice.objects.values("kind", "params", "error"))
    return json.dumps([tasks, notices], ensure_ascii=False, default=str)


KAVENEGAR_KEY = "5B7C-test-kavenegar-key-2718281828"


@pytest.fixture
def kavenegar(settings):
    """The Kavenegar client as the SMS backend, talking to a local Kavenegar that knows
    the key and the template for applicants' one-time codes."""
    from hamafza_fakes import FakeKavenegar

    with FakeKavenegar(api_keys={KAVENEGAR_KEY}, templates={"hamafza-application"}) as api:
        settings.SMS_BACKEND = "hamafza.core.sms.kavenegar.KavenegarBackend"
        settings.KAVENEGAR_API_KEY = KAVENEGAR_KEY
        settings.KAVENEGAR_BASE_URL = api.base_url
        settings.KAVENEGAR_TEMPLATES = "application=hamafza-application"
        settings.KAVENEGAR_SENDER = ""
        yield api
