"""The coordinator's day on a phone-sized screen: vetting applications (approve one,
reject one with a reason) and checking a volunteer in by typing their code."""

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from hamafza.mawkib.models import (
    Application,
    ApplicationStatus,
    Assignment,
    Shift,
    ShiftDemand,
    Staffing,
)
from hamafza.persian.digits import to_persian_digits

# The mawkib fixtures (season, mawkibs, roles, coordinator, make_application…) live in
# tests/mawkib/conftest.py, which pytest does not apply to this folder: borrow them.
_spec = importlib.util.spec_from_file_location(
    "mawkib_fixtures", Path(__file__).parent.parent / "mawkib" / "conftest.py"
)
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)
coordinator = _fixtures.coordinator
season = _fixtures.season
mawkibs = _fixtures.mawkibs
roles = _fixtures.roles
shift_days = _fixtures.shift_days
make_application = _fixtures.make_application
volunteer = _fixtures.volunteer


def no_sideways_scroll(page) -> bool:
    """The page's own content fits the phone (the shared header is core's to check)."""
    return page.evaluate(
        "[...document.querySelectorAll('main *')].every("
        "e => { const r = e.getBoundingClientRect(); return r.left >= -1 && r.right <= window.innerWidth + 1; })"
    )


def test_a_coordinator_approves_one_and_rejects_one_with_a_reason_on_a_phone(
    sign_in, coordinator, season, make_application, screenshot
):
    first = make_application(season, 0, status=ApplicationStatus.PENDING)
    second = make_application(season, 1, status=ApplicationStatus.PENDING, qualifications=["urdu"])
    page = sign_in(coordinator)
    page.goto(f"/mawkib/{season.pk}/applications/")
    assert page.get_by_role("heading", level=1).inner_text() == "درخواست‌های خدمت"
    assert no_sideways_scroll(page)
    screenshot(page, "mawkib-vetting-phone")

    # Approve the first by ticking it and pressing the bulk button.
    page.get_by_label(f"برگزیدن {first.full_name}").check()
    page.get_by_role("button", name="پذیرش", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text().startswith("وضعیت ۱ درخواست")

    # Reject the second: without a reason first (refused beside the field), then with one.
    card = page.locator(f"#application-{second.pk}")
    card.get_by_text("رد با دلیل").click()
    card.get_by_role("button", name="رد درخواست").click()
    page.wait_for_load_state()
    # Said beside the box, and in the summary above the form that now has the focus.
    assert page.locator(".field .error").get_by_text("دلیل رد درخواست را بنویسید").is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert no_sideways_scroll(page)
    screenshot(page, "mawkib-reject-needs-reason-phone")
    page.get_by_role("textbox", name="دلیل").fill("مدارک ناقص است")
    page.get_by_role("button", name="ثبت تصمیم").click()
    page.wait_for_load_state()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "approved"
    assert (second.status, second.decision_reason) == ("rejected", "مدارک ناقص است")
    page.goto(f"/mawkib/{season.pk}/applications/")
    assert (
        page.locator(f"#application-{second.pk}")
        .get_by_text("دلیل رد: مدارک ناقص است")
        .is_visible()
    )
    screenshot(page, "mawkib-vetting-after-phone")


@pytest.fixture
def place_today(mawkibs, roles, volunteer):
    start = timezone.now() - timedelta(hours=1)
    shift = Shift.objects.create(
        mawkib=mawkibs["mirjaveh"], name="صبح", starts_at=start, ends_at=start + timedelta(hours=6)
    )
    demand = ShiftDemand.objects.create(
        shift=shift, role=roles["serving"], gender=Staffing.MEN, capacity=2
    )
    return Assignment.objects.create(demand=demand, shift=shift, application=volunteer)


def test_a_coordinator_checks_a_volunteer_in_by_typing_the_code(
    sign_in, coordinator, mawkibs, place_today, screenshot
):
    page = sign_in(coordinator)
    page.goto(f"/mawkib/checkin/{mawkibs['mirjaveh'].pk}/")
    assert no_sideways_scroll(page)
    code = place_today.application.tracking_code
    box = page.get_by_label("کد رهگیری خادم")
    assert box.evaluate("el => el === document.activeElement")  # ready for a scanner
    box.fill(to_persian_digits(code))
    box.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="خادم0 داوطلب").is_visible()
    screenshot(page, "mawkib-checkin-found-phone")
    page.get_by_role("button", name="ثبت ورود").click()
    page.wait_for_load_state()
    assert "حضور «خادم0 داوطلب» ثبت شد" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="ثبت خروج").is_visible()
    assert no_sideways_scroll(page)
    screenshot(page, "mawkib-checkin-done-phone")
    place_today.refresh_from_db()
    assert place_today.status == "checked_in"
    assert Application.objects.get().status == "approved"


shifts = _fixtures.shifts


def test_season_coverage_log_and_needed_pages_fit_a_phone(
    sign_in, coordinator, season, mawkibs, shifts, place_today, screenshot, page
):
    sign_in(coordinator)
    mirjaveh = mawkibs["mirjaveh"]
    pages = {
        "mawkib-season": f"/mawkib/{season.pk}/",
        "mawkib-mawkib": f"/mawkib/mawkibs/{mirjaveh.pk}/",
        "mawkib-coverage": f"/mawkib/{season.pk}/coverage/",
        "mawkib-service-log": f"/mawkib/mawkibs/{mirjaveh.pk}/log/",
        "mawkib-needed": f"/mawkib/{season.pk}/needed/",
    }
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == 200, path
        assert no_sideways_scroll(page), path
        screenshot(page, f"{name}-phone")
    page.goto(pages["mawkib-service-log"])
    page.get_by_label("وعده غذا").fill("۳۵۰")
    page.get_by_role("button", name="ثبت گزارش").click()
    page.wait_for_load_state()
    assert "گزارش خدمت ثبت شد" in page.get_by_role("status").inner_text()
