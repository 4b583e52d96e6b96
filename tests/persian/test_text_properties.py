"""Property tests: the fixer is idempotent, keeps protected spans and the letters of words."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamafza.persian.text import fix
from hamafza.persian.text.chars import LETTER_TABLE
from hamafza.persian.text.protect import protected_spans

Z = "\u200c"
WORDS = [
    "اطلاع",
    "رسانی",
    "روابط",
    "عمومی",
    "ها",
    "های",
    "می",
    "نمی",
    "تواند",
    "شود",
    "کتاب",
    "کشور",
    "بزرگ",
    "ترین",
    "تر",
    "تنها",
    "آنها",
    "میز",
    "ماه",
    "خانه",
    "ای",
    "داشته",
    "اند",
    "برنامه",
    "ریزی",
    "و",
    "رفاه",
    "ورفاه",
    "از",
    "سال",
    "دستگاه",
    "يك",
    "كتاب",
    "مدرسة",
    "عمـومی",
    "شذ",
    "۱۷",
    "مرداد",
    "1403",
    "٤٥",
    "۳.۵",
]
MARKS = [
    " ",
    " ",
    " ",
    Z,
    "",
    "،",
    ",",
    ".",
    "...",
    "?",
    "؟",
    ";",
    ":",
    "(",
    ")",
    "«",
    "»",
    '"',
    "%",
    "\n",
    "\u200b",
    "ـ",
]
PROTECTED = [
    "https://www.mehrnews.com/news/6189034",
    "pr@example.ir",
    "<b>",
    "</p>",
    "&amp;",
    "COVID-19",
    "ISO 9001",
    "A320",
]

pieces = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKS), st.sampled_from(PROTECTED)),
    max_size=40,
)


def _persian_text(parts: list[str]) -> str:
    # Protected spans are set off by spaces, as they are in real text.
    return "".join(f" {p} " if p in PROTECTED else p for p in parts)


def _letters(text: str) -> str:
    """The letters of the text under the listed substitutions (ي->ی, ك->ک ...)."""
    return "".join(ch for ch in text.translate(LETTER_TABLE) if ch.isalpha())


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@SETTINGS
@given(pieces)
def test_fix_is_idempotent(parts):
    text = _persian_text(parts)
    once = fix(text)
    assert fix(once) == once


@pytest.mark.slow
@SETTINGS
@given(pieces)
def test_fix_keeps_protected_spans(parts):
    text = _persian_text(parts)
    fixed = fix(text)
    pos = 0
    for start, end in protected_spans(text):
        found = fixed.find(text[start:end], pos)
        assert found >= 0, text[start:end]
        pos = found + end - start


@pytest.mark.slow
@SETTINGS
@given(pieces)
def test_fix_never_changes_the_letters_of_a_word(parts):
    text = _persian_text(parts)
    assert _letters(fix(text)) == _letters(text)


@SETTINGS
@given(st.text(alphabet="ابپتسشکگلمنوهیي ك\u200c،,.؟?«»()۰۱۲0123", max_size=60))
def test_fix_is_idempotent_on_arbitrary_persian_strings(text):
    once = fix(text)
    assert fix(once) == once
