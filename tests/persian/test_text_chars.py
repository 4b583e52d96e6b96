"""Character rules: Arabic letters, digits, invisibles, kashida, stray diacritics."""

import pytest

from hamafza.persian.text.chars import normalize_chars


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("كتاب علي", "کتاب علی"),
        ("مدرسة", "مدرسه"),
        ("سال 1403 و ٤٥", "سال ۱۴۰۳ و ۴۵"),
        ("عمـــومی", "عمومی"),
        ("سلام\u200bدنیا\ufeff", "سلامدنیا"),
        ("نرم\u00adافزار", "نرمافزار"),
        ("متن\u200fفارسی", "متنفارسی"),
        ("ﻛﺘﺎﺏ", "کتاب"),
        ("سلام  دنیا", "سلام دنیا"),
        (" َسلام", " سلام"),
    ],
)
def test_characters_are_normalised(text, expected):
    assert normalize_chars(text) == expected


@pytest.mark.parametrize("text", ["خصوصاً", "تأکید", "مسئول", "کتاب‌ها", "۱۴۰۳", "مؤسسه"])
def test_valid_characters_are_kept(text):
    assert normalize_chars(text) == text


def test_stray_zwnj_next_to_a_non_letter_goes():
    assert normalize_chars("کتاب\u200c ۱۲\u200cها") == "کتاب ۱۲ها"
