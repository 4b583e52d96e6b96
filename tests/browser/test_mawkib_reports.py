"""A network admin reads the Arbaeen reports on a phone: the chart is drawn, the tables
scroll inside the page, and the Excel download arrives."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from hamafza.mawkib.models import (
    Application,
    Assignment,
    AssignmentStatus,
    Gender,
    Mawkib,
    MawkibKind,
    Season,
    ServiceLog,
    ServiceRole,
    Shift,
    ShiftDemand,
    Staffing,
)
from hamafza.persian.dates import TEHRAN


@pytest.fixture
def season_with_service(county, admin_user, agency):
    now = timezone.now()
    season = Season.objects.create(
        hijri_year=1449,
        title="اربعین ۱۴۴۹",
        signup_opens_at=now - timedelta(days=1),
        signup_closes_at=now + timedelta(days=60),
        edit_deadline=now + timedelta(days=30),
    )
    mawkibs = [
        Mawkib.objects.create(season=season, site_key=key, name=name, kind=kind, county=county)
        for key, name, kind in (
            ("mirjaveh", "موکب مرز میرجاوه", MawkibKind.BORDER),
            ("rimdan", "موکب مرز ریمدان", MawkibKind.BORDER),
            ("imam-reza", "موکب زائرسرای امام رضا (ع)", MawkibKind.PILGRIM_HOUSE),
        )
    ]
    first = date(2027, 7, 25)
    for offset in range(3):
        for index, mawkib in enumerate(mawkibs):
            ServiceLog.objects.create(
                mawkib=mawkib,
                day=first + timedelta(days=offset),
                pilgrims_men=120 + 40 * index + 15 * offset,
                pilgrims_women=80 + 10 * offset,
                meals=300,
                tea_water=900,
                first_aid_visits=4,
                recorded_by=admin_user,
            )
    role = ServiceRole.objects.create(season=season, code="serving", name="پذیرایی")
    starts = timezone.make_aware(timezone.datetime.combine(first, time(8)), TEHRAN)
    shift = Shift.objects.create(
        mawkib=mawkibs[0], name="صبح", starts_at=starts, ends_at=starts + timedelta(hours=6)
    )
    demand = ShiftDemand.objects.create(shift=shift, role=role, gender=Staffing.ANY, capacity=5)
    for index, (code, name, org) in enumerate(
        [("0013542419", "علی", agency), ("3610020563", "زهرا", None)]
    ):
        person = Application.objects.create(
            season=season,
            national_code=code,
            first_name=name,
            last_name="داوطلب",
            mobile=f"0912000{index:04d}",
            gender=Gender.MEN,
            birth_date=date(1990, 1, 1),
            organisation=org,
            emergency_name="خانواده",
            emergency_mobile="09150000000",
            consent_at=now,
            status="approved",
        )
        Assignment.objects.create(
            demand=demand,
            shift=shift,
            application=person,
            status=AssignmentStatus.CHECKED_OUT,
            checked_in_at=starts,
            checked_out_at=starts + timedelta(hours=5 + index),
        )
    return season


def _outside_screen(page) -> list[str]:
    """Elements of the main content that reach past either edge of the screen, except
    those inside a box that scrolls sideways by design (.table-wrap)."""
    return page.evaluate(
        """[...document.querySelectorAll('main *')]
            .filter(e => !e.closest('.table-wrap'))
            .filter(e => { const r = e.getBoundingClientRect();
                           return r.width && (r.left < -1 || r.right > innerWidth + 1); })
            .map(e => e.tagName + ':' + e.textContent.slice(0, 30))"""
    )


def test_a_network_admin_reads_the_service_report_on_a_phone(
    season_with_service, admin_user, sign_in, screenshot
):
    page = sign_in(admin_user)
    page.goto("/mawkib/reports/")
    screenshot(page, "mawkib-reports-index-phone")
    page.get_by_role("link", name="خدمات موکب‌ها به تفکیک روز").click()
    page.wait_for_url("**/mawkib/reports/service/**")
    assert page.get_by_role("heading", name="خدمات موکب‌ها به تفکیک روز").is_visible()
    chart = page.locator("svg.chart").first
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] <= 390  # the chart fits the phone
    screenshot(page, "mawkib-report-service-phone")
    # Nothing of the report sticks out of the phone's screen; wide tables scroll in
    # their own box.
    assert _outside_screen(page) == []
    assert page.get_by_text("۳ مرداد ۱۴۰۶").first.is_visible()  # a Jalali day, Persian digits

    with page.expect_download() as download:
        page.get_by_role("link", name="دریافت اکسل").click()
    assert download.value.suggested_filename == "mawkib-service-1449.xlsx"


def test_the_volunteers_report_explains_the_hours_rule_on_a_phone(
    season_with_service, admin_user, sign_in, screenshot
):
    page = sign_in(admin_user)
    page.goto("/mawkib/reports/volunteers/")
    assert page.get_by_text("طول همان نوبت").is_visible()
    assert page.locator("svg.chart").first.is_visible()
    assert _outside_screen(page) == []
    screenshot(page, "mawkib-report-volunteers-phone")
