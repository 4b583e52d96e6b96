"""Convert between Persian, Arabic-Indic and Latin digits; format numbers for display."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_DIGITS = "0123456789"

THOUSANDS_SEPARATOR = "\u066c"  # ٬ ARABIC THOUSANDS SEPARATOR
DECIMAL_SEPARATOR = "\u066b"  # ٫ ARABIC DECIMAL SEPARATOR

_TO_LATIN = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, LATIN_DIGITS * 2)
# Arabic-Indic ٤٥٦ look different from Persian ۴۵۶, so display text gets Persian ones only.
_TO_PERSIAN = str.maketrans(LATIN_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
_SEPARATORS_TO_PERSIAN = str.maketrans({",": THOUSANDS_SEPARATOR, ".": DECIMAL_SEPARATOR})


def to_latin_digits(text: str) -> str:
    """Replace Persian and Arabic-Indic digits with 0-9; leave everything else alone."""
    return text.translate(_TO_LATIN)


def to_persian_digits(value: object) -> str:
    """Return ``str(value)`` with Latin and Arabic-Indic digits replaced by Persian ones."""
    return str(value).translate(_TO_PERSIAN)


def format_number(value: int | float | Decimal | str, decimals: int | None = None) -> str:
    """Format a number for Persian display, e.g. ``1234567.5`` -> ``"۱٬۲۳۴٬۵۶۷٫۵"``.

    ``decimals`` fixes the number of fraction digits (rounding half up, as people expect);
    by default all significant digits are shown, never in scientific notation. Strings may
    use Persian or Arabic-Indic digits and either thousands/decimal separator style.
    """
    number = _as_decimal(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if number.is_zero():
        number = abs(number)  # "-۰" would read as a bug: -0.0 and -0.001 rounded show "۰"
    latin = format(number, ",f")
    return to_persian_digits(latin.translate(_SEPARATORS_TO_PERSIAN))


def _as_decimal(value: int | float | Decimal | str) -> Decimal:
    if isinstance(value, bool):
        # True would otherwise print as ۱: a bool reaching here is a caller's mistake.
        raise TypeError("format_number expects a number, not a bool")
    try:
        if isinstance(value, str):
            number = Decimal(_latin_number_text(value))
        elif isinstance(value, float):
            number = _float_as_decimal(value)
        else:
            number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"«{value}» عدد نیست.") from None
    if not number.is_finite():
        raise ValueError(f"«{value}» عدد نیست.")
    return number


def _float_as_decimal(value: float) -> Decimal:
    if value.is_integer():
        return Decimal(int(value))  # 4.0 is shown as ۴, not ۴٫۰
    # repr() is a float's shortest exact spelling: 0.1 stays 0.1, not 0.1000…0555.
    return Decimal(repr(value))


def _latin_number_text(text: str) -> str:
    latin = to_latin_digits(text.strip()).replace(DECIMAL_SEPARATOR, ".")
    return latin.replace(THOUSANDS_SEPARATOR, "").replace(",", "")
