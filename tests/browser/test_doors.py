"""The sign-in doors in a real browser on a phone: turning on two-factor sign-in with the
QR code and the first code, the second step after the password, and «forgot password»."""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hamafza.core.sms.log import LogBackend
from hamafza.persian.digits import to_latin_digits, to_persian_digits


def sign_in(page, username, password):
    page.goto("/login/")
    page.get_by_label("نام کاربری").fill(username)
    page.get_by_label("گذرواژه").fill(password)
    page.get_by_role("button", name="ورود").click()


def code_for(device, later=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - later * device.step):06d}"


def test_two_factor_is_turned_on_by_qr_code_and_asked_after_the_password(
    page, live_server, member, password, screenshot
):
    sign_in(page, "member", password)
    page.wait_for_url(f"{live_server.url}/")
    page.goto("/account/two-factor/")
    page.get_by_role("button", name="روشن کردن ورود دومرحله‌ای").click()
    assert page.locator(".qr svg").is_visible()
    screenshot(page, "two-factor-qr")
    device = TOTPDevice.objects.get(confirmed=False)
    page.get_by_label("رمز").fill(to_persian_digits(code_for(device)))  # Persian digits typed
    page.get_by_role("button", name="روشن کردن").click()
    codes = page.get_by_test_id("recovery-codes").locator("li")
    assert codes.count() == 10
    screenshot(page, "two-factor-recovery-codes")

    page.context.clear_cookies()
    sign_in(page, "member", password)
    page.wait_for_url(re.compile(r".*/account/two-factor/verify/.*"))
    assert page.get_by_role("heading", level=1).inner_text() == "مرحله دوم ورود"
    screenshot(page, "two-factor-verify")
    page.get_by_label("رمز").fill(code_for(device, later=1))
    page.get_by_role("button", name="ورود").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("سلام")


def test_a_forgotten_password_is_reset_by_the_texted_code(page, live_server, member, screenshot):
    member.mobile = "09151112233"
    member.save()
    LogBackend.outbox.clear()
    page.goto("/login/")
    page.get_by_role("link", name="گذرواژه را فراموش کرده‌اید؟").click()
    page.get_by_label("نام کاربری").fill("member")
    page.get_by_role("button", name="فرستادن").click()
    page.wait_for_url(f"{live_server.url}/password/forgot/code/")
    code = re.search(r"\d{6}", to_latin_digits(LogBackend.outbox[-1].text))[0]
    page.get_by_label("رمز یک‌بار مصرف").fill(to_persian_digits(code))
    page.locator("#id_new_password1").fill("A-fresh-password-1405")
    page.locator("#id_new_password2").fill("A-fresh-password-1405")
    screenshot(page, "password-reset-by-code")
    page.get_by_role("button", name="ثبت گذرواژه تازه").click()
    page.wait_for_url(f"{live_server.url}/login/")
    assert "گذرواژه تازه ثبت شد" in page.content()
    sign_in(page, "member", "A-fresh-password-1405")
    page.wait_for_url(f"{live_server.url}/")
