import pytest
from hypothesis import given
from hypothesis import strategies as st

from hamafza.persian.digits import to_persian_digits
from hamafza.persian.validators import (
    ValidationFailed,
    is_valid_mobile,
    is_valid_national_code,
    national_code_check_digit,
    normalize_mobile,
    normalize_national_code,
)

# Checksums worked out by hand: weights 10..2 over the first nine digits, sum mod 11 = r,
# check digit r if r < 2 else 11 - r.
VALID_CODE = "0084575948"  # sum 212, r = 3, check 8
ANOTHER_VALID_CODE = "1234567891"  # sum 210, r = 1, check 1


@pytest.mark.parametrize(
    "text",
    [
        "0084575948",
        "۰۰۸۴۵۷۵۹۴۸",
        "٠٠٨٤٥٧٥٩٤٨",
        "008-457594-8",
        " 008 457 594 8 ",
        "84575948",  # leading zeros dropped, as on some printed cards
        "084575948",
    ],
)
def test_national_code_normalises_to_ten_latin_digits(text):
    assert normalize_national_code(text) == VALID_CODE


def test_national_code_with_check_digit_from_small_remainder():
    assert normalize_national_code(ANOTHER_VALID_CODE) == ANOTHER_VALID_CODE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0084575949", "کد ملی معتبر نیست."),  # wrong check digit
        ("1234567890", "کد ملی معتبر نیست."),
        ("0000000000", "کد ملی معتبر نیست."),  # passes the checksum but never issued
        ("1111111111", "کد ملی معتبر نیست."),
        ("۲۲۲۲۲۲۲۲۲۲", "کد ملی معتبر نیست."),
        ("1234567", "کد ملی باید ۱۰ رقم باشد."),
        ("00845759480", "کد ملی باید ۱۰ رقم باشد."),
        ("00845759a8", "کد ملی باید فقط رقم باشد."),
        ("", "کد ملی وارد نشده است."),
        ("  ", "کد ملی وارد نشده است."),
        (None, "کد ملی وارد نشده است."),
    ],
)
def test_national_code_rejections_explain_in_persian(text, message):
    with pytest.raises(ValidationFailed) as error:
        normalize_national_code(text)
    assert str(error.value) == message


def test_validation_failed_is_a_value_error():
    with pytest.raises(ValueError):
        normalize_national_code("123")


def test_is_valid_national_code():
    assert is_valid_national_code("۰۰۸۴۵۷۵۹۴۸")
    assert not is_valid_national_code("0084575949")
    assert not is_valid_national_code("")


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits)
def test_generated_codes_are_valid_unless_one_repeated_digit(first_nine):
    code = first_nine + national_code_check_digit(first_nine)
    assert is_valid_national_code(code) == (len(set(code)) > 1)


@given(nine_digits.filter(lambda digits: len(set(digits)) > 1), st.integers(1, 9))
def test_any_other_check_digit_is_rejected(first_nine, shift):
    right = national_code_check_digit(first_nine)
    wrong = str((int(right) + shift) % 10)
    assert not is_valid_national_code(first_nine + wrong)


@given(nine_digits.filter(lambda digits: len(set(digits)) > 1))
def test_generated_codes_are_accepted_in_persian_digits(first_nine):
    code = first_nine + national_code_check_digit(first_nine)
    assert normalize_national_code(to_persian_digits(code)) == code


CANONICAL_MOBILE = "09121234567"


@pytest.mark.parametrize(
    "text",
    [
        "09121234567",
        "9121234567",
        "+989121234567",
        "989121234567",
        "00989121234567",
        "0912 123 4567",
        "0912-123-4567",
        "+98 912 123 4567",
        "+98 (0) 912 123 4567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "+۹۸۹۱۲۱۲۳۴۵۶۷",
        "٠٩١٢١٢٣٤٥٦٧",
        " 0912 123 45 67 ",
    ],
)
def test_mobile_every_common_form_becomes_canonical(text):
    assert normalize_mobile(text) == CANONICAL_MOBILE


@pytest.mark.parametrize(
    "text",
    [
        "0912123456",  # a digit short
        "091212345678",  # a digit too many
        "02112345678",  # a Tehran landline
        "+19121234567",  # another country
        "98912123456",
        "0912abc4567",
        "0912+1234567",
    ],
)
def test_mobile_rejections_explain_in_persian(text):
    with pytest.raises(ValidationFailed, match="شمارهٔ موبایل معتبر نیست"):
        normalize_mobile(text)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_missing_mobile_is_reported(text):
    with pytest.raises(ValidationFailed, match="شمارهٔ موبایل وارد نشده است"):
        normalize_mobile(text)


def test_is_valid_mobile():
    assert is_valid_mobile("+98 912 123 4567")
    assert not is_valid_mobile("02112345678")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_form_of_a_mobile_number_gives_the_same_canonical_number(rest):
    canonical = "09" + rest
    forms = [
        canonical,
        canonical[1:],
        "+98" + canonical[1:],
        "98" + canonical[1:],
        "0098" + canonical[1:],
        to_persian_digits(canonical),
        f"{canonical[:4]} {canonical[4:7]} {canonical[7:]}",
    ]
    assert {normalize_mobile(form) for form in forms} == {canonical}
