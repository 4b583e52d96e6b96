"""The public readiness form and the applicant's page on a phone: a wrong national code
typed in Persian digits is refused beside its field with nothing lost, a good application
shows its tracking code, and an approved volunteer signs up for a shift by themself."""

import re

import pytest
from django.core.cache import cache

from hamafza.core.sms.log import LogBackend
from hamafza.mawkib.models import Application, ApplicationStatus, Assignment
from hamafza.persian.digits import to_latin_digits, to_persian_digits

# The mawkib's shared fixtures (the season, its mawkibs, roles, shifts and an approved
# volunteer) live beside the mawkib tests; this folder's conftest does not see them.
from tests.mawkib import conftest as mawkib_fixtures

season = mawkib_fixtures.season
mawkibs = mawkib_fixtures.mawkibs
roles = mawkib_fixtures.roles
shift_days = mawkib_fixtures.shift_days
shifts = mawkib_fixtures.shifts
volunteer = mawkib_fixtures.volunteer


@pytest.fixture(autouse=True)
def _sms_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    LogBackend.outbox.clear()
    cache.clear()
    yield
    LogBackend.outbox.clear()


def fill_the_form(page, *, national_code: str):
    page.goto("/mawkib/apply/")
    page.get_by_label("نام", exact=True).fill("فاطمه")
    page.get_by_label("نام خانوادگی").fill("شهرکی")
    page.get_by_label("کد ملی").fill(national_code)
    page.get_by_label("تلفن همراه", exact=True).fill("۰۹۱۵۱۲۳۴۵۶۷")
    page.get_by_label("بانوان").check()
    page.get_by_label("تاریخ تولد").fill("۱۳۷۲/۰۶/۲۱")
    page.get_by_label("شهرستان محل زندگی").select_option(label="زاهدان")
    page.get_by_label("کارت بهداشت").check()
    page.get_by_label("زبان اردو").check()
    days = page.locator("#field-available_days input[type=checkbox]")
    days.nth(0).check()
    days.nth(1).check()
    page.get_by_label("نام تماس اضطراری").fill("مادر")
    page.get_by_label("تلفن همراه تماس اضطراری").fill("۰۹۱۵۷۶۵۴۳۲۱")
    page.get_by_label("را خواندم و می‌پذیرم").check()


def test_a_wrong_national_code_in_persian_digits_is_refused_beside_it(
    page,
    season,
    mawkibs,
    screenshot,
):
    fill_the_form(page, national_code="۱۲۳۴۵۶۷۸۹۰")
    page.get_by_role("button", name="ثبت درخواست").click()
    error = page.locator("#field-national_code .error")
    error.wait_for()
    assert error.inner_text() == "کد ملی معتبر نیست."
    # Beside the field: right under the national code box, not elsewhere on the page.
    box = page.get_by_label("کد ملی").bounding_box()
    message = error.bounding_box()
    assert 0 <= message["y"] - (box["y"] + box["height"]) < 80
    # Nothing typed is lost.
    assert page.get_by_label("نام", exact=True).input_value() == "فاطمه"
    assert to_latin_digits(page.get_by_label("کد ملی").input_value()) == "1234567890"
    assert page.get_by_label("بانوان").is_checked()
    assert page.get_by_label("تاریخ تولد").input_value() == "۱۳۷۲/۰۶/۲۱"
    assert page.get_by_label("زبان اردو").is_checked()
    assert page.locator("#field-available_days input:checked").count() == 2
    assert page.get_by_label("را خواندم و می‌پذیرم").is_checked()
    assert not Application.objects.exists()
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    error.scroll_into_view_if_needed()
    screenshot(page, "mawkib-public-wrong-national-code")


def test_a_good_application_sends_its_tracking_code_by_sms_only(
    page,
    season,
    mawkibs,
    screenshot,
):
    fill_the_form(page, national_code="۳۶۲۰۰۱۷۸۴۰")
    screenshot(page, "mawkib-public-form-filled")
    page.get_by_role("button", name="ثبت درخواست").click()
    page.wait_for_url("**/mawkib/apply/done/")
    application = Application.objects.get()
    status = page.get_by_role("status")
    assert "کد رهگیری به همراهی که ثبت شده است پیامک شد" in status.inner_text()
    assert to_persian_digits(application.tracking_code) not in page.content()
    assert application.national_code == "3620017840"
    assert application.gender == "women"
    [sms] = LogBackend.outbox
    assert to_persian_digits(application.tracking_code) in sms.text
    screenshot(page, "mawkib-public-tracking-code")


def test_an_approved_volunteer_signs_in_by_sms_and_takes_a_shift(
    page,
    volunteer,
    shifts,
    screenshot,
):
    page.goto("/mawkib/track/")
    page.get_by_label("کد رهگیری").fill(to_persian_digits(volunteer.tracking_code))
    page.get_by_role("button", name="فرستادن رمز یک‌بار مصرف").click()
    page.wait_for_url("**/mawkib/track/code/")
    otp = re.search(r"\d{6}", to_latin_digits(LogBackend.outbox[-1].text))[0]
    page.get_by_label("رمز یک‌بار مصرف").fill(to_persian_digits(otp))
    page.get_by_role("button", name="ورود").click()
    page.wait_for_url("**/mawkib/me/")
    assert page.get_by_test_id("status").inner_text() == ApplicationStatus.APPROVED.label
    screenshot(page, "mawkib-public-applicant-page")
    page.get_by_role("button", name=re.compile("^ثبت‌نام پذیرایی، موکب مرز میرجاوه")).first.click()
    page.wait_for_url("**/mawkib/me/#mine")
    page.get_by_text("این نوبت برای شما ثبت شد.").wait_for()
    assert Assignment.objects.filter(application=volunteer).count() == 1
    assert page.locator("#mine .list-item").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "mawkib-public-signed-up")
    # The same hours at another mawkib: refused, and the reason stands beside that place.
    page.get_by_role("button", name=re.compile("^ثبت‌نام پذیرایی، موکب مرز ریمدان")).first.click()
    refusal = page.locator(".place .refusal")
    refusal.wait_for()
    assert "هم‌زمان است" in refusal.inner_text()
    assert page.url.split("#")[1].startswith("place-")
    assert refusal.is_visible() and refusal.bounding_box()["y"] >= 0
    assert Assignment.objects.filter(application=volunteer).count() == 1
    page.screenshot(
        path=str(
            screenshot(page, "mawkib-public-refusal").with_name(
                "mawkib-public-refusal-viewport.png"
            )
        )
    )
