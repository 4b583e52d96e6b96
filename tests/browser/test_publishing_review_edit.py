"""A reviewer on a phone fixes a word before approving: the edit box opens on the review
page, and the post's history then shows who changed what, word by word."""

import pytest

from hamafza.network.models import Channel, Role
from hamafza.publishing import services
from tests.conftest import grant, make_user


@pytest.fixture
def reviewer(agency):
    return grant(make_user("reviewer", first_name="مریم", last_name="شهرکی"), agency, Role.REVIEWER)


def test_the_reviewer_fixes_a_word_and_sees_it_in_the_history(
    page, sign_in, member, reviewer, agency, screenshot
):
    channel = Channel.objects.create(organisation=agency, kind="website", handle="behzisti.ir")
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="دوره خبرنویسی در زاهدان",
        body="<p>دوره روز شنبه برگزار شد.</p>",
        channels=[channel],
    )
    services.post_submit(actor=member, post=post)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    sign_in(reviewer)
    page.goto(f"/publishing/posts/{post.pk}/")
    page.get_by_text("ویرایش جزئی پیش از تأیید").click()
    box = page.locator("#id_edit-title")
    assert box.input_value() == "دوره خبرنویسی در زاهدان"
    box.fill("دوره خبرنویسی در چابهار")
    page.get_by_role("button", name="ثبت ویرایش").click()
    page.wait_for_url(f"**/publishing/posts/{post.pk}/")
    assert page.get_by_text("ویرایش شما ثبت شد").is_visible()
    history = page.get_by_role("region", name="تاریخچه مطلب")
    history.scroll_into_view_if_needed()
    assert history.locator("del").inner_text() == "زاهدان"
    assert history.locator("ins").inner_text() == "چابهار"
    assert "مریم شهرکی" in history.inner_text()
    screenshot(page, "publishing-review-edit-history")
    assert not refused, refused
