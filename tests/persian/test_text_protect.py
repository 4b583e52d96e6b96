"""Protected spans: the fixer never touches URLs, e-mails, HTML, codes, Latin text."""

import pytest

from hamafza.persian.text import fix
from hamafza.persian.text.protect import protected_spans


@pytest.mark.parametrize(
    "span",
    [
        "https://www.mehrnews.com/news/6189034",
        "pr@example.ir",
        '<a href="x">',
        "&amp;",
        "COVID-19",
        "ISO 9001",
        "A320",
        "Hamafza 2.0",
    ],
)
def test_protected_span_survives_fix(span):
    text = f"متن كتاب 12 {span} و ميتواند"
    fixed = fix(text)
    assert span in fixed
    assert "می\u200cتواند" in fixed and "کتاب ۱۲" in fixed


def test_spans_are_found():
    text = "نشانی https://x.ir/a و a@b.ir"
    assert [text[s:e] for s, e in protected_spans(text)] == ["https://x.ir/a", "a@b.ir"]


@pytest.mark.parametrize(
    "text",
    [
        "%1$s پیام تازه دارید.",
        "{0} نفر ثبت‌نام کردند.",
        "نشانی https://fa.wikipedia.org/wiki/روابط_عمومي را ببینید.",
        "هشتگ #علي_آباد را ببینید.",
        "نسخه C++\u200e را نصب کنید.",
    ],
)
def test_placeholders_and_code_like_tokens_come_out_as_typed(text):
    assert fix(text) == text
    # Their neighbours in the same family, which no rule touched before either.
    for kept in (
        "شما %d پیام دارید.",
        "%(name)s عزیز، خوش آمدید.",
        "سلام {name}، خوش آمدید.",
        "{{ user.name }} گرامی",
        "مبلغ ${amount} ریال",
        "کانال @hamafza_news را دنبال کنید.",
        "#روابط_عمومی #هفته_تعاون",
        "ایمیل info@hamafza.ir است.",
    ):
        assert fix(f"{text}\n{kept}") == f"{text}\n{kept}"


@pytest.mark.parametrize("text", ["ببینید؟#علي_آباد", "#علي_آباد،#كرج", "تگ؛#علي_آباد"])
def test_a_hashtag_after_persian_punctuation_is_left_as_typed(text):
    assert fix(text) == text
