"""Punctuation and spacing rules."""

import pytest

from hamafza.persian.text.punctuation import fix_punctuation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سلام , خوبی ?", "سلام، خوبی؟"),
        ("اول;دوم", "اول؛ دوم"),
        ('او گفت "سلام" و رفت', "او گفت «سلام» و رفت"),
        ("و ...", "و…"),
        ("( متن )", "(متن)"),
        ("« نقل »", "«نقل»"),
        ("تمام شد.بعد", "تمام شد. بعد"),
        ("گفت:سلام", "گفت: سلام"),
        ("امام رضا(ع)", "امام رضا (ع)"),
        ("۱۲,۵۰۰ تومان", "۱۲٬۵۰۰ تومان"),
        ("۳.۵ درصد", "۳٫۵ درصد"),
        ("۲۰ %", "۲۰٪"),
        ("۱۷مرداد", "۱۷ مرداد"),
        ("سال۱۴۰۳", "سال ۱۴۰۳"),
    ],
)
def test_punctuation_is_fixed(text, expected):
    assert fix_punctuation(text) == expected


@pytest.mark.parametrize(
    "text", ["۱۷ام", "۱۴۰۰مین", "ساعت ۱۲:۳۰", "۱۴۰۳.۰۵.۱۷", "سلام، خوبی؟", "(متن)"]
)
def test_correct_text_is_left_alone(text):
    assert fix_punctuation(text) == text
