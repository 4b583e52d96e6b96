"""The publishing calendar in a real browser: on a phone the month is a list of the days
that have posts, each under its full Jalali date; on a wide screen a grid of weeks from
Saturday; a post's link opens it, the arrows walk the months; all within the CSP."""

from datetime import datetime

import jdatetime
import pytest

from hamafza.persian.dates import TEHRAN
from hamafza.publishing.models import Post, PostStatus


def _at(y, m, d, hh, mm):
    day = jdatetime.date(y, m, d).togregorian()
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TEHRAN)


@pytest.fixture
def posts(agency):
    scheduled = Post.objects.create(
        organisation=agency,
        title="نشست خبری هفته بهزیستی",
        body="<p>متن</p>",
        status=PostStatus.APPROVED,
        publish_at=_at(1405, 9, 12, 10, 30),
    )
    sent = Post.objects.create(
        organisation=agency,
        title="آغاز ثبت‌نام بیمه روستاییان",
        body="<p>متن</p>",
        status=PostStatus.SENT,
        published_at=_at(1405, 9, 3, 8, 15),
    )
    return scheduled, sent


def test_the_month_is_a_list_of_days_on_a_phone_and_a_grid_on_a_wide_screen(
    page, sign_in, owner, posts, screenshot
):
    _scheduled, sent = posts
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    sign_in(owner)
    page.get_by_role("button", name="فهرست").click()
    page.get_by_role("link", name="تقویم انتشار").click()
    page.goto("/publishing/calendar/?view=month&d=1405-09-12")
    assert page.get_by_role("heading", name="آذر ۱۴۰۵", exact=True).is_visible()

    # A phone: only the two days with posts, each under its weekday and Jalali date.
    visible_days = page.locator(".cal-day:not(.today):visible")  # today is shown too
    assert visible_days.count() == 2
    assert visible_days.nth(0).get_by_role("heading").inner_text().startswith("سه‌شنبه ۳ آذر ۱۴۰۵")
    assert visible_days.nth(1).get_by_role("heading").inner_text().startswith("پنج‌شنبه ۱۲ آذر ۱۴۰۵")
    link = page.get_by_role("link", name="۱۰:۳۰ نشست خبری هفته بهزیستی")
    assert link.is_visible()
    screenshot(page, "publishing-calendar-phone")

    # A wide screen: seven columns from Saturday, every day of the grid shown.
    page.set_viewport_size({"width": 1280, "height": 900})
    days = page.locator(".cal-day")
    assert page.locator(".cal-day:visible").count() == days.count()
    assert days.count() % 7 == 0
    first, second = days.nth(0).bounding_box(), days.nth(1).bounding_box()
    assert first["y"] == second["y"] and second["x"] < first["x"]  # right to left
    assert days.nth(7).bounding_box()["y"] > first["y"]
    headers = page.locator(".cal-weekdays span").all_inner_texts()
    assert headers[0] == "شنبه" and headers[-1] == "جمعه"
    screenshot(page, "publishing-calendar-wide")

    # The arrows walk the months; a post's link opens it.
    page.get_by_role("link", name="ماه بعد").click()
    assert page.get_by_role("heading", name="دی ۱۴۰۵", exact=True).is_visible()
    page.get_by_role("link", name="ماه پیش").click()
    page.get_by_role("link", name="هفته", exact=True).click()  # the week of 1 Azar
    assert page.get_by_role("heading", name="۳۰ آبان ۱۴۰۵ تا ۶ آذر ۱۴۰۵").is_visible()
    assert page.locator(".cal-day:visible").count() == 7  # a week shows every day
    assert not page.get_by_text("نشست خبری هفته بهزیستی").count()
    page.get_by_role("link", name="۰۸:۱۵ آغاز ثبت‌نام بیمه روستاییان").click()
    page.wait_for_url(f"**/publishing/posts/{sent.pk}/")
    assert not refused, refused
