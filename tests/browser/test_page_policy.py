"""Every role's pages in a real browser, on the demo network: under the enforced
Content-Security-Policy no page reports a violation or a script error and each has a
meta description; the key pages pass axe-core's WCAG 2.1 AA rules; the news list does not
shift on a phone when the web font arrives late; a form sent back puts the focus on its
error summary; the header's focus ring stands out from the header."""

import re
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from hamafza.core.models import User
from hamafza.mawkib.models import Mawkib, Season
from hamafza.network.models import Organisation
from hamafza.portal.selectors import post_url
from hamafza.publishing.models import Post, PostVisits

from .conftest import PHONE

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "hamafza-demo"
# The demo's logins, one for each role (README): network admin, PR manager, editor,
# reviewer, volunteer coordinator, instructor, journalist.
ROLES = ("admin", "modir", "dabir", "bazbin", "hamahang", "modares", "khabarnegar")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Collects what the browser reports against the policy, before any script of the page runs.
# (Playwright's own scripts, this one and axe-core, are not subject to the page's CSP.)
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(
  `${e.effectiveDirective} refused ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
"""
# Sums the layout shifts not caused by the reader (the Cumulative Layout Shift).
CLS = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""
# Links a person follows from a page that are not pages of their own: downloads, feeds,
# the API and the Django admin (walked apart), the photos.
NOT_A_PAGE = re.compile(r"\.(xlsx|pdf|csv|rss|atom|json)$|^/(api|admin|media|static|feeds)/")


@pytest.fixture(autouse=True)
def _once_is_enough():
    """What the browser reports of the pages does not depend on the database: these run
    on the SQLite pass of the suite only, to keep the suite's time."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the page policy is walked on the SQLite pass")


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", stdout=StringIO())
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tab(chromium, live_server):
    """`tab()` opens a phone-sized tab in a context of its own that watches the policy and
    records script errors and console errors (a refused resource shows there too)."""
    contexts = []

    def open_tab(*, axe: bool = False, viewport=PHONE):
        context = chromium.new_context(viewport=viewport, locale="fa-IR", base_url=live_server.url)
        contexts.append(context)
        context.add_init_script(WATCH)
        if axe:
            context.add_init_script(path=str(AXE))
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: message.type == "error" and page.problems.append(message.text),
        )
        _serve_media(page)
        return page

    yield open_tab
    for context in contexts:
        context.close()


def _serve_media(page):
    """The live server serves static files only; the demo's photos come from MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT)

    def fulfil(route):
        path = root / urlsplit(route.request.url).path.removeprefix("/media/")
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.continue_()

    page.route("**/media/**", fulfil)


def _sign_in(page, username: str):
    page.goto("/login/")
    page.get_by_label("نام کاربری").fill(username)
    page.get_by_label("گذرواژه").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.wait_for_url("**/")


def _check(page, path: str, *, described: bool = True) -> list[str]:
    """Open `path`; what is wrong with it, as lines a person can read."""
    page.problems.clear()
    try:
        response = page.goto(path)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return []  # a file, not a page
        raise
    page.wait_for_load_state("load")
    found = [f"{path}: {problem}" for problem in page.problems]
    found += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]
    if response is None or response.status >= 400:
        found.append(f"{path}: answered {response.status if response else 'nothing'}")
    description = page.locator('meta[name="description"]')
    if described and (
        description.count() != 1 or not (description.get_attribute("content") or "").strip()
    ):
        found.append(f"{path}: no meta description")
    if response is not None and not response.header_value("content-security-policy"):
        found.append(f"{path}: no Content-Security-Policy header")
    return found


def _links(page) -> list[str]:
    """The pages the menu and the main content lead to, on this site, without repeats."""
    hrefs = page.evaluate(
        "[...document.querySelectorAll('header a[href], main a[href]')].map(a => a.href)"
    )
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.hostname not in ("localhost", "127.0.0.1") or NOT_A_PAGE.search(parts.path):
            continue
        if path not in paths:
            paths.append(path)
    return paths


def test_no_page_of_any_role_breaks_the_policy(demo, tab):
    problems = []
    public = tab()
    post = Post.objects.filter(status="sent").order_by("-published_at").first()
    organisation = post.organisation
    for path in (
        "/news/",
        post_url(post),
        f"/news/o/{organisation.slug}/",
        "/mawkib/apply/",
        "/mawkib/track/",
        "/mawkib/track/lost/",
        "/mawkib/privacy/",
        "/login/",
        "/password/forgot/",
    ):
        problems += _check(public, path)
    # The post page's counter, now a file of its own, still counts the reading.
    for _ in range(20):
        if PostVisits.objects.filter(post=post).exists():
            break
        time.sleep(0.1)
    assert PostVisits.objects.filter(post=post).exists(), "the post page's beacon did not count"
    public.goto("/no-such-page/")
    assert public.get_by_role("heading", level=1).is_visible()  # the 404 page, styled
    assert not public.evaluate("window.__cspViolations")

    walked = 0
    for username in ROLES:
        page = tab()
        _sign_in(page, username)
        problems += _check(page, "/")
        for path in _links(page):
            problems += _check(page, path)
            walked += 1
    assert walked > 40, "the walk should reach the pages of every role"

    # The Django admin and the API's documentation keep working under the same policy.
    admin = tab()
    _sign_in(admin, "admin")
    problems += _check(admin, "/admin/", described=False)  # staff only: no description
    admin_pages = {
        urlsplit(href).path
        for href in admin.evaluate(
            "[...document.querySelectorAll('#content-main a')].map(a => a.href)"
        )
        if re.search(r"/admin/(core|network|publishing|mawkib)/", href)
    }
    admin_pk = User.objects.get(username="admin").pk
    for path in [f"/admin/core/user/{admin_pk}/change/", *sorted(admin_pages)]:
        problems += _check(admin, path, described=False)
    admin.goto("/api/docs")
    admin.locator(".swagger-ui .info").wait_for()
    assert not admin.evaluate("window.__cspViolations")
    assert problems == [], "\n".join(problems)


def _axe(page) -> list[str]:
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
            return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
                v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(", "));
        }""",
        WCAG_21_AA,
    )
    return violations


def test_key_pages_meet_wcag_21_aa(demo, tab):
    failures = []
    post = Post.objects.filter(status="sent").order_by("-published_at").first()
    behzisti = Organisation.objects.get(slug="behzisti")
    season = Season.objects.order_by("-hijri_year").first()
    mawkib = Mawkib.objects.filter(season=season).first()

    def audit(page, path):
        page.goto(path)
        page.wait_for_load_state("load")
        failures.extend(f"{path}: {line}" for line in _axe(page))

    public = tab(axe=True)
    for path in ("/news/", post_url(post), "/mawkib/apply/", "/mawkib/track/", "/login/"):
        audit(public, path)
    # The login form sent back with an error, its summary in focus.
    public.get_by_label("نام کاربری").fill("dabir")
    public.get_by_role("button", name="ورود").click()
    failures.extend(f"/login/ (errors): {line}" for line in _axe(public))

    pages_of = {
        "dabir": [f"/publishing/organisations/{behzisti.pk}/new/"],  # the composer
        "bazbin": ["/publishing/review/"],  # the reviewer's queue
        "hamahang": [  # the coordinator's season, vetting and check-in
            f"/mawkib/{season.pk}/",
            f"/mawkib/{season.pk}/applications/",
            f"/mawkib/checkin/{mawkib.pk}/",
        ],
        "admin": ["/mawkib/reports/"],
    }
    for username in ROLES:
        page = tab(axe=True)
        _sign_in(page, username)
        failures.extend(f"/ as {username}: {line}" for line in _axe(page))
        for path in pages_of.get(username, []):
            audit(page, path)
        if username == "dabir":
            # A set publish time: the date and the time each have a label of their own,
            # inside a group named by the field's label.
            page.goto(pages_of["dabir"][0])
            page.get_by_label("در زمان مشخص").check()
            when = page.get_by_role("group", name="تاریخ و ساعت انتشار")
            assert when.get_by_label("تاریخ", exact=True).is_visible()
            assert when.get_by_label("ساعت", exact=True).is_visible()
            failures.extend(f"composer (publish time): {line}" for line in _axe(page))
    assert failures == [], "\n".join(failures)


def _news_shift(tab, *, font_delay: float) -> float:
    page = tab()
    page.context.add_init_script(CLS)

    def late_font(route):
        time.sleep(font_delay)  # a phone on a slow network: the page is drawn first
        route.continue_()

    if font_delay:
        page.route("**/*.woff2", late_font)
    page.goto("/news/")
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(500 + int(font_delay * 1000))
    return page.evaluate("window.__cls")


def test_the_news_list_does_not_shift_on_a_phone_when_the_bold_font_arrives(demo, tab):
    assert settings.WEB_FONT, "the browser tests need Vazirmatn (npm ci)"
    assert Post.objects.filter(status="sent").count() >= 4
    shift = _news_shift(tab, font_delay=1.0)
    assert shift < 0.1, f"the news list shifted by {shift:.3f} when the font came late"
    shift = _news_shift(tab, font_delay=0)
    assert shift < 0.1, f"the news list shifted by {shift:.3f}"


def test_a_form_sent_back_puts_the_focus_on_its_error_summary(demo, tab):
    page = tab()
    page.goto("/mawkib/apply/")
    page.get_by_role("button", name=re.compile("ثبت|فرستادن|ارسال")).last.click()
    page.wait_for_load_state("load")
    focused = page.evaluate("document.activeElement.getAttribute('data-error-summary') !== null")
    assert focused, "the focus should be on the error summary"
    summary = page.get_by_role("alert")
    assert "نیاز به اصلاح" in summary.inner_text()
    # Its links lead to the fields to change.
    first_link = summary.get_by_role("link").first
    target = first_link.get_attribute("href")
    assert page.locator(target).count() == 1

    page.goto("/login/")
    page.get_by_label("نام کاربری").fill("dabir")
    page.get_by_label("گذرواژه").fill("not-the-password")
    page.get_by_role("button", name="ورود").click()
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"


def _contrast(one: str, two: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"[\d.]+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_headers_focus_ring_stands_out_from_the_header(demo, tab):
    page = tab(viewport={"width": 1280, "height": 800})
    _sign_in(page, "dabir")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand, in the header
    focused = page.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e);
                   return [e.className, s.outlineStyle, s.outlineColor,
                           getComputedStyle(e.closest('header')).backgroundColor]; }"""
    )
    name, style, ring, header = focused
    assert name == "brand" and style == "solid"
    assert _contrast(ring, header) >= 3, f"focus ring {ring} on {header}"
