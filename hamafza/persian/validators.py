"""Iranian national codes and mobile numbers: validate and bring to one canonical form."""

import re
from collections.abc import Callable

from .digits import to_latin_digits

# People type codes and numbers grouped with spaces, dashes, dots or brackets.
_GROUPING = re.compile(r"[\s\-.()\u200c\u200e\u200f]")
_MOBILE_COUNTRY_PREFIX = re.compile(r"^(?:\+|00)?98")


class ValidationFailed(ValueError):
    """Input that is not a valid value; the message is in Persian, ready to show."""


def normalize_national_code(text: str) -> str:
    """Return the 10-digit national code (کد ملی), e.g. ``"۰۰۸۴۵۷۵۹۴۸"`` -> ``"0084575948"``.

    Codes of 8 or 9 digits get their dropped leading zeros back, as the Iranian rule allows.
    """
    digits = _digits_only(text, "کد ملی")
    if not 8 <= len(digits) <= 10:
        raise ValidationFailed("کد ملی باید ۱۰ رقم باشد.")
    code = digits.zfill(10)
    # Codes made of one repeated digit pass the checksum but are never issued.
    if len(set(code)) == 1 or code[9] != national_code_check_digit(code[:9]):
        raise ValidationFailed("کد ملی معتبر نیست.")
    return code


def national_code_check_digit(first_nine: str) -> str:
    """The check (10th) digit for the first nine digits of a national code."""
    remainder = sum(int(digit) * (10 - i) for i, digit in enumerate(first_nine)) % 11
    return str(remainder if remainder < 2 else 11 - remainder)


def normalize_mobile(text: str) -> str:
    """Return an Iranian mobile number as ``"09121234567"``.

    Accepts ``09121234567``, ``9121234567``, ``+989121234567``, ``989121234567`` and
    ``00989121234567``, with spaces or dashes and in Persian or Arabic digits.
    """
    raw = to_latin_digits(_GROUPING.sub("", text or ""))
    if not raw:
        raise ValidationFailed("شمارهٔ موبایل وارد نشده است.")
    national = _national_mobile_part(raw)
    if not re.fullmatch(r"9\d{9}", national, re.ASCII):
        raise ValidationFailed("شمارهٔ موبایل معتبر نیست؛ آن را به شکل ۰۹۱۲۱۲۳۴۵۶۷ بنویسید.")
    return "0" + national


def is_valid_national_code(text: str) -> bool:
    """Whether ``normalize_national_code`` would accept ``text``."""
    return _passes(normalize_national_code, text)


def is_valid_mobile(text: str) -> bool:
    """Whether ``normalize_mobile`` would accept ``text``."""
    return _passes(normalize_mobile, text)


def _national_mobile_part(raw: str) -> str:
    """The ten digits after the country code or trunk zero, e.g. ``"9121234567"``."""
    if len(raw) > 11:  # only an international form is longer than 09121234567
        raw = _MOBILE_COUNTRY_PREFIX.sub("", raw)
    # "0" is the trunk prefix, also written after the country code: +98 (0)912…
    return raw[1:] if raw.startswith("0") else raw


def _digits_only(text: str, label: str) -> str:
    digits = to_latin_digits(_GROUPING.sub("", text or ""))
    if not digits:
        raise ValidationFailed(f"{label} وارد نشده است.")
    if not digits.isascii() or not digits.isdigit():
        raise ValidationFailed(f"{label} باید فقط رقم باشد.")
    return digits


def _passes(normalize: Callable[[str], str], text: str) -> bool:
    try:
        normalize(text)
    except ValidationFailed:
        return False
    return True
