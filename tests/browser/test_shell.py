"""The shell a person sees, in a real browser on a phone-sized screen."""

from urllib.parse import urlsplit

from hamafza.network.models import AudienceSnapshot, Channel
from hamafza.persian.digits import to_persian_digits


def test_login_leads_to_a_persian_home_page_with_todays_jalali_date(
    page, live_server, member, password, screenshot
):
    page.goto("/")
    assert "/login/" in page.url  # anonymous visitors are sent to the login page

    page.get_by_label("نام کاربری").fill("member")
    page.get_by_label("گذرواژه").fill("wrong-password")
    page.get_by_role("button", name="ورود").click()
    assert page.get_by_role("alert").is_visible()
    assert "نام کاربری" in page.get_by_role("alert").inner_text()  # Django's Persian message
    assert page.get_by_label("نام کاربری").input_value() == "member"  # nothing typed is lost

    page.get_by_label("گذرواژه").fill(password)
    page.get_by_role("button", name="ورود").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "سلام، علی ریگی"
    today = page.locator("main time").first.inner_text()
    assert any(
        month in today
        for month in (
            "مهر",
            "آبان",
            "آذر",
            "دی",
            "بهمن",
            "اسفند",
            "فروردین",
            "اردیبهشت",
            "خرداد",
            "تیر",
            "مرداد",
            "شهریور",
        )
    )
    assert not any(ch.isascii() and ch.isdigit() for ch in today)  # Persian digits only
    assert page.get_by_role("heading", name="نقش‌های من").is_visible()
    screenshot(page, "home-phone")


def test_layout_is_right_to_left_fits_a_phone_and_loads_nothing_from_outside(
    sign_in, owner, agency, screenshot
):
    page = sign_in(owner)
    page.goto(f"/network/organisations/{agency.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The brand sits at the right edge, as in every Persian site.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > 390 / 2
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Landmarks for screen readers.
    for role in ("banner", "main", "contentinfo"):
        assert page.get_by_role(role).count() >= 1
    # On a phone the menu folds behind one button, which says whether it is open.
    toggle = page.get_by_role("button", name="فهرست")
    assert page.get_by_role("navigation").count() == 0
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("navigation").get_by_role("link", name="سازمان‌ها").is_visible()
    hosts = {urlsplit(url).hostname for url in page.requested}
    assert hosts <= {"localhost", "127.0.0.1"}, f"requests left the app: {hosts}"
    screenshot(page, "organisation-phone")


def test_jalali_date_input_accepts_persian_digits_and_explains_mistakes(
    sign_in, member, agency, screenshot
):
    channel = Channel.objects.create(organisation=agency, kind="eitaa", handle="@behzisti_sb")
    page = sign_in(member)
    page.goto(f"/network/channels/{channel.pk}/")

    date_box = page.get_by_label("تاریخ")
    date_box.fill("۱۴۰۴/۱۲/۳۰")  # 1404 is not a leap year: Esfand has 29 days
    page.get_by_label("شمار مخاطبان").fill("۱۲۳۴")
    page.get_by_role("button", name="ثبت آمار").click()
    assert "۳۰ اسفند ۱۴۰۴ وجود ندارد" in page.locator(".field.has-error").inner_text()
    assert page.get_by_label("شمار مخاطبان").input_value() in ("۱۲۳۴", "1234")  # kept
    assert not AudienceSnapshot.objects.exists()

    date_box = page.get_by_label("تاریخ")
    date_box.fill("۱۴۰۵/۰۵/۱۷")
    assert page.locator("output.jalali-hint").inner_text() == "۱۷ مرداد ۱۴۰۵"
    page.get_by_role("button", name="ثبت آمار").click()
    assert page.locator(".messages").inner_text().strip() == "آمار مخاطبان ثبت شد."
    row = page.locator("tbody tr").first.inner_text()
    assert "شنبه ۱۷ مرداد ۱۴۰۵" in row
    assert to_persian_digits("1٬234") in row
    snapshot = AudienceSnapshot.objects.get()
    assert (snapshot.taken_on.isoformat(), snapshot.members) == ("2026-08-08", 1234)
    screenshot(page, "channel-audience-phone")
