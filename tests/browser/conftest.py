"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against
pytest-django's live server, on a phone-sized screen. Screenshots are saved under
var/test-artifacts/ for a person to look at."""

import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(settings.VAR_DIR) / "test-artifacts"
PHONE = {"width": 390, "height": 844}
# Without the background-networking flags Chromium keeps trying to reach Google's hosts,
# which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test thread; the ORM calls that
    tests and fixtures make there (test database setup included) are still plain
    synchronous calls."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session", autouse=True)
def _media_through_the_app():
    """Django's live server serves MEDIA_ROOT as a folder by itself, which the site never
    does (core.media gates /media/): let /media/ reach the app, as in production."""
    from django.test import testcases

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(testcases._MediaFilesHandler, "_should_handle", lambda self, path: False)
        yield


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/services chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh phone-sized tab. Every request it makes is recorded in `page.requested`."""
    context = chromium.new_context(viewport=PHONE, locale="fa-IR", base_url=live_server.url)
    tab = context.new_page()
    tab.requested = []
    tab.on("request", lambda request: tab.requested.append(request.url))
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def sign_in(page, password):
    def as_user(user):
        page.goto("/login/")
        page.get_by_label("نام کاربری").fill(user.username)
        page.get_by_label("گذرواژه").fill(password)
        page.get_by_role("button", name="ورود").click()
        page.wait_for_url("**/")
        return page

    return as_user


@pytest.fixture
def screenshot():
    """`screenshot(page, name)` saves a full-page PNG as a test artefact."""

    def save(page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
