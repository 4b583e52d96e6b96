"""The body's formatting markup: parsed once, rendered in each platform's style, escaped
strictly for Telegram, counted as each platform counts, and left whole by the fixer."""

import re

import pytest

from hamafza.persian.text import fix
from hamafza.publishing import formatting, limits
from hamafza.publishing.formatting import parse, render
from hamafza.publishing.platforms.base import utf16_len
from hamafza.publishing.platforms.registry import platform_for
from hamafza.publishing.services import sanitize_body
from hamafza_fakes.telegram import html_problem

BODY = (
    "ثبت‌نام **بیمه روستاییان** آغاز شد و __مهلت__ تا پایان ماه است.\n"
    "فهرست مراکز: [سامانه بهزیستی](https://behzisti.ir/list?a=1&b=2)\n\n"
    "> مدیر کل: «کارها آغاز شد»"
)


def test_telegram_gets_its_html_and_counts_only_what_readers_see():
    rendering = render(parse(BODY), formatting.TELEGRAM_HTML)
    assert rendering.parse_mode == "HTML"
    assert "<b>بیمه روستاییان</b>" in rendering.text
    assert "<i>مهلت</i>" in rendering.text
    assert '<a href="https://behzisti.ir/list?a=1&amp;b=2">سامانه بهزیستی</a>' in rendering.text
    assert "<blockquote>مدیر کل: «کارها آغاز شد»</blockquote>" in rendering.text
    assert "**" not in rendering.counted and "<" not in rendering.counted
    assert "سامانه بهزیستی" in rendering.counted and "behzisti.ir" not in rendering.counted
    assert html_problem(rendering.text) == ""


@pytest.mark.parametrize(
    "typed",
    [
        "قیمت <b> و </b> برچسب است",
        "سود ۵ < ۱۰ & زیان > ۳",
        "&amp; یعنی &",
        '**پررنگ "با" <i>** و __کج & <__',
        '[پیوند](https://ex.com/?q="<x>&y) بعد',
        "[پیوند](https://ex.com/a?b=1&c=2)",
    ],
)
def test_whatever_the_editor_types_telegram_can_parse_it_and_shows_it_as_typed(typed):
    rendering = render(parse(typed), formatting.TELEGRAM_HTML)
    assert html_problem(rendering.text) == ""
    unescaped = re.sub(r"<[^>]*>", "", rendering.text)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&")):
        unescaped = unescaped.replace(entity, char)
    assert unescaped == rendering.counted


def test_only_web_links_become_links():
    doc = parse("[بد](javascript:alert(1)) و [خوب](http://ex.ir/a) و [فایل](file:///etc/x)")
    html = render(doc, formatting.TELEGRAM_HTML).text
    assert html.count("<a ") == 1 and 'href="http://ex.ir/a"' in html
    assert "[بد](javascript:alert(1))" in html and "[فایل](file:///etc/x)" in html


def test_markers_that_do_not_pair_stay_as_typed():
    for typed in ("۵ ** ۳", "**باز", "** فاصله **", "__", "a__b", "[بی‌پیوند]"):
        assert render(parse(typed), formatting.PLAIN).text == typed


def test_a_bare_address_keeps_its_underscores():
    doc = parse("کانال https://t.me/behzisti__sb__news را ببینید")
    assert render(doc, formatting.TELEGRAM_HTML).text == (
        "کانال https://t.me/behzisti__sb__news را ببینید"
    )


def test_bale_gets_markdown_and_quotes_as_text():
    rendering = render(parse(BODY), formatting.BALE_MARKDOWN)
    assert "*بیمه روستاییان*" in rendering.text and "**" not in rendering.text
    assert "_مهلت_" in rendering.text
    assert "[سامانه بهزیستی](https://behzisti.ir/list?a=1&b=2)" in rendering.text
    assert "«مدیر کل: «کارها آغاز شد»»" in rendering.text
    assert rendering.parse_mode == "" and rendering.counted == rendering.text


def test_plain_text_drops_the_markers_and_writes_the_address_out():
    rendering = render(parse(BODY), formatting.PLAIN)
    assert "بیمه روستاییان" in rendering.text and "*" not in rendering.text
    assert "_" not in rendering.text.replace("https://", "")
    assert "سامانه بهزیستی (https://behzisti.ir/list?a=1&b=2)" in rendering.text


def test_rubika_gets_metadata_at_utf16_offsets():
    rendering = render(parse("😀 **پررنگ** و [پیوند](https://ex.ir)\n\n> نقل"), "rubika_metadata")
    assert rendering.text == "😀 پررنگ و پیوند\n\nنقل"
    bold, link, quote = rendering.entities
    assert bold == {"type": "Bold", "from_index": 3, "length": 5}  # the emoji is two units
    assert link == {"type": "Link", "from_index": 11, "length": 5, "link_url": "https://ex.ir"}
    assert quote["type"] == "Quote" and quote["length"] == 3
    assert rendering.text.encode("utf-16-le")[2 * 11 : 2 * 16].decode("utf-16-le") == "پیوند"


def test_the_site_keeps_the_formatting_and_the_composer_gets_the_markup_back():
    stored = sanitize_body(limits.body_html(BODY))
    assert "<strong>بیمه روستاییان</strong>" in stored and "<em>مهلت</em>" in stored
    assert "<blockquote>" in stored and 'href="https://behzisti.ir/list?a=1&amp;b=2"' in stored
    again = limits.body_text(stored)
    assert parse(again) == parse(BODY)
    assert sanitize_body(limits.body_html(again)) == stored


def test_a_body_stored_as_html_before_the_markup_reads_back_formatted():
    assert limits.body_text(
        '<p>یک <b>دو</b> <a href="https://ex.ir">سه</a> <a href="javascript:x">چهار</a></p>'
    ) == ("یک **دو** [سه](https://ex.ir) چهار")


# -- limits ----------------------------------------------------------------------------


def _fits(style, counting, limit, body, **kw):
    return formatting.fit(parse(body), style, length=counting, limit=limit, **kw)


def test_telegram_takes_a_text_at_exactly_its_limit_and_the_markers_do_not_count():
    telegram = platform_for("telegram")
    visible = "ب" * (telegram.text_limit - 4)
    body = f"**{visible[:10]}**{visible[10:]}😀😀"  # each emoji is two UTF-16 units
    rendering = formatting.channel_message(
        "telegram_html", length=telegram.length, limit=telegram.text_limit, body=body
    )
    assert telegram.length(rendering.counted) == telegram.text_limit
    assert rendering.text.endswith("😀😀") and "…" not in rendering.text
    one_more = formatting.channel_message(
        "telegram_html", length=telegram.length, limit=telegram.text_limit, body=body + "ب"
    )
    assert telegram.length(one_more.counted) <= telegram.text_limit
    assert one_more.counted.endswith("…") and html_problem(one_more.text) == ""


def test_a_cut_keeps_the_title_and_the_link_and_closes_every_tag():
    rendering = formatting.channel_message(
        "telegram_html",
        length=utf16_len,
        limit=60,
        title="عنوان",
        body="**" + ("پررنگ " * 30).strip() + "** پایان",
        link="https://site.ir/news/1",
    )
    assert rendering.text.startswith("عنوان\n\n<b>")
    assert rendering.text.endswith("…</b>\n\nhttps://site.ir/news/1")
    assert utf16_len(rendering.counted) <= 60 and html_problem(rendering.text) == ""


@pytest.mark.parametrize("kind", ["bale", "eitaa", "rubika"])
def test_each_platform_counts_what_it_is_sent_at_its_exact_limit(kind):
    platform = platform_for(kind)
    limit = platform.text_limit
    body = "**ب**" + "پ" * (limit - 1) + "\n\n[پیوند](https://ex.ir)"
    rendering = _fits(platform.formatting, platform.length, limit, body)
    assert platform.length(rendering.counted) <= limit
    assert rendering.counted.endswith("…")
    # One unit less than the whole is cut; the whole at its own length is not.
    whole = render(parse(body), platform.formatting)
    exact = _fits(platform.formatting, platform.length, platform.length(whole.counted), body)
    assert exact == whole


def test_the_composer_counts_the_rendered_text():
    telegram = limits.limits_for_kind("telegram")
    eitaa = limits.limits_for_kind("eitaa")
    text = {"title": "عنوان", "body": "**پررنگ** [پیوند](https://ex.ir)"}
    assert telegram.counted_length(**text) == len("عنوان\n\nپررنگ پیوند")
    assert eitaa.counted_length(**text) == len("عنوان\n\nپررنگ پیوند (https://ex.ir)")


# -- the text fixer ----------------------------------------------------------------------


def test_fixing_a_formatted_body_keeps_every_marker_and_address():
    body = (
        "ثبت نام **بیمه روستاییان** آغاز شد ، __مهلت 10 روز__ است .\n"
        "فهرست [مراکز استان ها](https://behzisti.ir/list_all?a=1&b=2) و "
        "**[سامانه](http://ex.ir/s)** را ببینید\n\n"
        "> مدیر کل : «کار ها آغاز شد»"
    )
    fixed = fix(body)
    assert fixed != body  # the fixer did its work on the words
    for marker in ("**", "__", "](", "> "):
        assert fixed.count(marker) == body.count(marker)
    for url in ("https://behzisti.ir/list_all?a=1&b=2", "http://ex.ir/s"):
        assert f"]({url})" in fixed
    before, after = parse(body), parse(fixed)
    kinds = [
        [(type(n).__name__, getattr(n, "kind", ""), getattr(n, "url", "")) for n in line]
        for d in (before, after)
        for block in d.blocks
        for line in block.lines
    ]
    half = len(kinds) // 2
    assert kinds[:half] == kinds[half:]
    assert [b.kind for b in before.blocks] == [b.kind for b in after.blocks]


def test_spaces_inside_a_stored_tag_move_outside_the_markers():
    # Bodies pasted before the markup may hold "<strong> word </strong>": read back, the
    # words must stay bold, which the markup allows only without the spaces inside.
    text = limits.body_text("<p>یک<strong> دو </strong>سه <em>چهار </em>پنج</p>")
    assert text == "یک **دو** سه __چهار__ پنج"
    assert "<b>دو</b>" in render(parse(text), formatting.TELEGRAM_HTML).text
