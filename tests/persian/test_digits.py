from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hamafza.persian.digits import format_number, to_latin_digits, to_persian_digits


def test_persian_digits_become_latin():
    assert to_latin_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"


def test_arabic_indic_digits_become_latin():
    assert to_latin_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"


def test_to_latin_leaves_letters_and_punctuation_alone():
    assert to_latin_digits("پلاک ۱۲، طبقهٔ ۳") == "پلاک 12، طبقهٔ 3"


def test_latin_digits_become_persian_for_display():
    assert to_persian_digits("ساعت 10:30") == "ساعت ۱۰:۳۰"


def test_to_persian_accepts_numbers():
    assert to_persian_digits(2026) == "۲۰۲۶"


def test_arabic_indic_digits_are_shown_as_persian_ones():
    # ٤ ٥ ٦ are drawn differently from ۴ ۵ ۶; a Persian page should show only the latter.
    assert to_persian_digits("٤٥٦") == "۴۵۶"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "۰"),
        (999, "۹۹۹"),
        (1000, "۱٬۰۰۰"),
        (1234567, "۱٬۲۳۴٬۵۶۷"),
        (-1234, "-۱٬۲۳۴"),
        (1234567.5, "۱٬۲۳۴٬۵۶۷٫۵"),
        (0.1, "۰٫۱"),
        (Decimal("1234.50"), "۱٬۲۳۴٫۵۰"),
        (1e20, "۱۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰"),
        (4.0, "۴"),
        (-0.0, "۰"),
    ],
)
def test_format_number(value, shown):
    assert format_number(value) == shown


def test_format_number_never_uses_latin_separators_or_scientific_notation():
    shown = format_number(0.0000001)
    assert shown == "۰٫۰۰۰۰۰۰۱"
    assert not set(shown) & set(",.eE")


def test_format_number_never_shows_minus_zero():
    assert format_number(-0.001, decimals=2) == "۰٫۰۰"


def test_format_number_with_fixed_decimals_rounds_half_up():
    assert format_number(2.5, decimals=0) == "۳"
    assert format_number(1234.5678, decimals=2) == "۱٬۲۳۴٫۵۷"
    assert format_number(3, decimals=2) == "۳٫۰۰"


def test_format_number_reads_strings_in_any_digits():
    assert format_number("۱۲۳۴۵") == "۱۲٬۳۴۵"
    assert format_number("١٢٣٤٥.٥") == "۱۲٬۳۴۵٫۵"
    assert format_number("1,234,567") == "۱٬۲۳۴٬۵۶۷"


def test_format_number_reads_back_its_own_output():
    assert format_number(format_number(1234567.25)) == "۱٬۲۳۴٬۵۶۷٫۲۵"


@pytest.mark.parametrize("text", ["", "abc", "۱۲الف", "nan", "inf"])
def test_format_number_rejects_text_that_is_not_a_number(text):
    with pytest.raises(ValueError, match="عدد نیست"):
        format_number(text)


def test_format_number_rejects_bool():
    with pytest.raises(TypeError):
        format_number(True)


@given(st.text())
def test_digit_round_trip_preserves_meaning(text):
    assert to_latin_digits(to_persian_digits(text)) == to_latin_digits(text)


@given(st.text())
def test_persian_display_has_no_latin_or_arabic_indic_digits(text):
    shown = to_persian_digits(text)
    assert not set(shown) & set("0123456789٠١٢٣٤٥٦٧٨٩")


@given(st.integers())
def test_formatted_integer_reads_back_as_the_same_number(n):
    shown = format_number(n)
    assert int(to_latin_digits(shown).replace("٬", "")) == n
