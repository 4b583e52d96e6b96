"""The composer's formatting toolbar wraps the selection in the markup, by button and by
keyboard, and the preview tabs show each channel's message as it will look: bold on
Telegram, plain text on Eitaa."""

import pytest

from hamafza.network.models import Channel
from hamafza.publishing.models import Post

WORDS = "ثبت‌نام بیمه روستاییان آغاز شد"


@pytest.fixture
def channels(agency):
    return {
        kind: Channel.objects.create(organisation=agency, kind=kind, handle="@behzisti_sb")
        for kind in ("telegram", "eitaa")
    }


def select(page, box, text):
    """Select `text` inside the text box, as a person dragging over it would."""
    page.evaluate(
        """([id, text]) => {
            const box = document.getElementById(id);
            const at = box.value.indexOf(text);
            box.focus();
            box.setSelectionRange(at, at + text.length);
        }""",
        [box, text],
    )


def test_the_toolbar_wraps_the_selection_and_the_preview_shows_it_bold(
    page, sign_in, member, agency, channels, screenshot, settings
):
    settings.PUBLIC_SITE_URL = "https://site.example.ir"
    refused = []  # what the Content-Security-Policy blocked, if anything
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    sign_in(member)
    page.goto(f"/publishing/organisations/{agency.pk}/new/")
    page.get_by_label("عنوان").fill("آغاز ثبت‌نام")
    body = page.locator("#id_body")
    body.fill(f"{WORDS}.\n\nمهلت تا پایان ماه است.\nسخن مدیر کل")
    page.get_by_role("checkbox", name="تلگرام").check()
    page.get_by_role("checkbox", name="ایتا").check()

    toolbar = page.get_by_role("toolbar", name="قالب‌بندی متن")
    select(page, "id_body", "بیمه روستاییان")
    toolbar.get_by_role("button", name="پررنگ").click()
    assert "ثبت‌نام **بیمه روستاییان** آغاز شد" in body.input_value()
    # The selection stays on the words: a second press takes the bold off again.
    toolbar.get_by_role("button", name="پررنگ").click()
    assert "**" not in body.input_value()
    toolbar.get_by_role("button", name="پررنگ").click()

    # By keyboard: Ctrl+I in the text box, then Tab to the quote button and Enter.
    select(page, "id_body", "پایان ماه")
    body.press("Control+i")
    assert "مهلت تا __پایان ماه__ است." in body.input_value()
    select(page, "id_body", "سخن مدیر کل")
    quote = toolbar.get_by_role("button", name="نقل قول")
    quote.focus()
    page.keyboard.press("Enter")
    assert body.input_value().endswith("\n> سخن مدیر کل")

    # A link: the address is selected for the editor to type over.
    select(page, "id_body", "مهلت")
    toolbar.get_by_role("button", name="پیوند").click()
    page.keyboard.type("https://behzisti.ir/bime")
    assert "[مهلت](https://behzisti.ir/bime) تا" in body.input_value()

    # The preview follows the typing: Telegram's tab shows the words bold.
    # (Waiting for the last of it: on a loaded machine the typing may pause long enough
    # for a preview of the half-typed address, and a later one then replaces the tabs.)
    page.wait_for_function(
        """() => document.querySelector('[role=tabpanel] .preview-message a[href="https://behzisti.ir/bime"]')
            && !document.querySelector('[data-preview-url][aria-busy]')"""
    )
    page.get_by_role("tab", name="تلگرام").click()
    telegram = page.get_by_role("tabpanel").filter(has_text="تلگرام")
    bold = telegram.locator(".preview-message strong")
    assert bold.inner_text() == "بیمه روستاییان"
    assert telegram.locator(".preview-message em").inner_text() == "پایان ماه"
    assert telegram.locator(".preview-message blockquote").inner_text() == "سخن مدیر کل"
    assert telegram.locator('.preview-message a[href="https://behzisti.ir/bime"]').count() == 1
    screenshot(page, "publishing-format-preview-telegram-phone")

    # Eitaa has no formatting: its tab, reached with the arrow keys, shows plain text.
    page.get_by_role("tab", name="تلگرام").focus()
    page.keyboard.press("ArrowRight")  # right to left: Eitaa's tab is to the right
    eitaa_tab = page.get_by_role("tab", name="ایتا")
    assert eitaa_tab.get_attribute("aria-selected") == "true"
    eitaa = page.get_by_role("tabpanel").filter(has_text="ایتا")
    assert eitaa.is_visible() and not telegram.is_visible()
    message = eitaa.locator(".preview-message")
    assert message.locator("strong").count() == 0
    assert "مهلت (https://behzisti.ir/bime)" in message.inner_text()
    assert "«سخن مدیر کل»" in message.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "publishing-format-preview-eitaa-phone")

    # Saved, the site keeps the formatting and the composer gets the markup back.
    page.get_by_role("button", name="ذخیره پیش‌نویس").click()
    page.wait_for_url("**/edit/")
    post = Post.objects.get()
    assert "<strong>بیمه روستاییان</strong>" in post.body and "<blockquote>" in post.body
    assert "**بیمه روستاییان**" in page.locator("#id_body").input_value()
    assert refused == []
