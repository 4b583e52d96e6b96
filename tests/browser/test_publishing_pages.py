"""An editor composes with the checker's help on a phone, the reviewer approves, and the
delivery page shows each channel's state."""

import pytest

from hamafza.network.models import Channel, Membership, Role
from hamafza.publishing.models import Delivery, Post, PostStatus
from hamafza_fakes import FakeTelegram

ZWNJ = "\u200c"


@pytest.fixture
def reviewer(agency, password):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        "reviewer", password=password, first_name="مریم", last_name="شهرکی"
    )
    Membership.objects.create(user=user, organisation=agency, role=Role.REVIEWER)
    return user


@pytest.fixture
def channels(agency):
    kinds = [
        ("website", "behzisti.example.ir"),
        ("telegram", "@behzisti_sb"),
        ("eitaa", "@behzisti_sb"),
    ]
    return {
        kind: Channel.objects.create(organisation=agency, kind=kind, handle=handle)
        for kind, handle in kinds
    }


def test_compose_fix_submit_approve_and_see_deliveries(
    page, sign_in, member, reviewer, agency, channels, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(member)
    page.goto(f"/publishing/organisations/{agency.pk}/new/")
    page.get_by_label("عنوان").fill("کارگاه خبرنویسی برگزار میشود")
    page.get_by_label("لید").fill("کارگاه دو روزه برای کارکنان روابط عمومی.")
    page.locator("#id_body").fill("بند نخست خبر.\n\nبند دوم خبر.")
    page.get_by_role("checkbox", name="تلگرام").check()
    page.get_by_role("checkbox", name="ایتا").check()
    counter = page.locator(f'output[data-counter-for="{channels["telegram"].pk}"]')
    assert "/ ۴٬۰۹۶" in counter.inner_text()  # counted live, in Persian digits
    page.get_by_role("button", name="ذخیره پیش‌نویس").click()
    page.wait_for_url("**/edit/")

    # The checker's finding sits under the title; one click applies it.
    findings = page.locator("#findings-title")
    assert "نیم‌فاصله" in findings.inner_text()
    assert "۱ یافته ویرایشی" in findings.inner_text()
    findings.scroll_into_view_if_needed()
    screenshot(page, "publishing-compose-finding-phone")
    findings.get_by_role("button", name="اعمال").first.click()
    page.wait_for_load_state()
    assert page.get_by_label("عنوان").input_value() == f"کارگاه خبرنویسی برگزار می{ZWNJ}شود"
    assert page.get_by_role("checkbox", name="تلگرام").is_checked()  # nothing typed is lost
    assert page.locator("#findings-title").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="ارسال برای بازبینی").click()
    page.wait_for_url("**/posts/*/")
    post = Post.objects.get()
    assert post.status == PostStatus.IN_REVIEW
    assert post.title.endswith(f"می{ZWNJ}شود")

    # The reviewer finds it in the queue and approves it.
    page.context.clear_cookies()
    sign_in(reviewer)
    page.goto("/publishing/review/")
    page.get_by_role("link", name=post.title).click()
    screenshot(page, "publishing-review-phone")
    confirm = page.get_by_label("هشدارها را دیدم و با وجود آن‌ها تأیید می‌کنم.")
    if confirm.count():
        confirm.check()
    page.get_by_role("button", name="تأیید و انتشار").click()
    page.wait_for_url("**/deliveries/")
    assert page.get_by_role("heading", name="وضعیت ارسال‌ها").is_visible()
    assert page.locator(".delivery").count() == 2
    assert "در صف" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "publishing-deliveries-phone")
    assert Delivery.objects.filter(post=post).count() == 2


def test_list_and_connections_fit_a_phone(page, sign_in, owner, agency, channels, screenshot):
    sign_in(owner)
    page.goto(f"/publishing/organisations/{agency.pk}/")
    assert page.get_by_role("link", name="مطلب تازه").is_visible()
    screenshot(page, "publishing-list-phone")
    page.get_by_role("link", name="اتصال کانال‌ها").click()
    with FakeTelegram(valid_tokens={"123:secret"}) as telegram:
        # A wrong token is refused by the platform itself, in words the manager can act on.
        section = page.locator("section.connection").filter(has_text="تلگرام")
        section.get_by_label("توکن ربات").fill("123:wrong")
        section.get_by_label("شناسه کانال در پیام‌رسان").fill("@behzisti_sb")
        section.get_by_label("نشانی API").fill(telegram.base_url)
        section.get_by_role("button", name="ذخیره اتصال").click()
        page.wait_for_load_state()
        assert "توکن ربات درست نیست" in page.locator("main").inner_text()
        section = page.locator("section.connection").filter(has_text="تلگرام")
        section.get_by_label("توکن ربات").fill("123:secret")
        section.get_by_label("شناسه کانال در پیام‌رسان").fill("@behzisti_sb")
        section.get_by_label("نشانی API").fill(telegram.base_url)
        section.get_by_role("button", name="ذخیره اتصال").click()
        page.wait_for_load_state()
    assert "وصل از" in page.locator("main").inner_text()
    assert "123:secret" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "publishing-connections-phone")
