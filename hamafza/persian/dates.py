"""Jalali (Solar Hijri) dates: display in Persian and parse what people type.

Aware datetimes are shown in Tehran time; naive ones are taken as already in Tehran time.
"""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import jdatetime

from .digits import to_latin_digits, to_persian_digits

TEHRAN = ZoneInfo("Asia/Tehran")

JALALI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)

# Indexed by Python's date.weekday(), which counts from Monday; the Iranian week starts on
# Saturday, so the order here is deliberately not the order of the week.
_WEEKDAYS_BY_PYTHON_INDEX = (
    "دوشنبه",
    "سه\u200cشنبه",
    "چهارشنبه",
    "پنج\u200cشنبه",
    "جمعه",
    "شنبه",
    "یکشنبه",
)

_DATE_PATTERN = re.compile(r"(\d{4})\s*([/\-.])\s*(\d{1,2})\s*\2\s*(\d{1,2})", re.ASCII)
_TIME_PATTERN = re.compile(r"(\d{1,2})\s*:\s*(\d{1,2})(?:\s*:\s*(\d{1,2}))?", re.ASCII)


class InvalidDate(ValueError):
    """A date or time that cannot be read or does not exist; the message is in Persian."""


def tehran_date(value: date) -> date:
    """The calendar day of ``value`` in Tehran: aware datetimes are converted first."""
    if isinstance(value, datetime):
        return _in_tehran(value).date()
    return value


def weekday_name(value: date) -> str:
    """Persian name of the weekday, e.g. ``"شنبه"`` for a Saturday."""
    return _WEEKDAYS_BY_PYTHON_INDEX[tehran_date(value).weekday()]


def jalali_date(value: date, with_weekday: bool = False) -> str:
    """``date(2026, 8, 8)`` -> ``"۱۷ مرداد ۱۴۰۵"`` (``"شنبه ۱۷ مرداد ۱۴۰۵"`` with weekday)."""
    day = tehran_date(value)
    jalali = jdatetime.date.fromgregorian(date=day)
    text = to_persian_digits(f"{jalali.day} {JALALI_MONTHS[jalali.month - 1]} {jalali.year}")
    return f"{weekday_name(day)} {text}" if with_weekday else text


def jalali_datetime(value: datetime) -> str:
    """``"۱۷ مرداد ۱۴۰۵، ساعت ۱۰:۳۰"``, in Tehran time."""
    local = _in_tehran(value)
    return f"{jalali_date(local.date())}، ساعت {to_persian_digits(local.strftime('%H:%M'))}"


def jalali_short(value: date) -> str:
    """Numeric form ``"۱۴۰۵/۰۵/۱۷"``, the form ``parse_jalali_date`` reads back."""
    jalali = jdatetime.date.fromgregorian(date=tehran_date(value))
    return to_persian_digits(f"{jalali.year:04d}/{jalali.month:02d}/{jalali.day:02d}")


def parse_jalali_date(text: str) -> date:
    """Read ``"1405/05/17"``, ``"۱۴۰۵/۰۵/۱۷"`` or ``"١٤٠٥-٥-١٧"`` into a Gregorian date.

    Raises ``InvalidDate`` (Persian message) for unreadable text or a day that does not
    exist, such as 30 Esfand in a non-leap year.
    """
    text = (text or "").strip()
    if not text:
        raise InvalidDate("تاریخ وارد نشده است.")
    match = _DATE_PATTERN.fullmatch(to_latin_digits(text))
    if not match:
        raise InvalidDate(f"تاریخ «{text}» خوانا نیست؛ آن را به شکل ۱۴۰۵/۰۵/۱۷ بنویسید.")
    year, month, day = int(match[1]), int(match[3]), int(match[4])
    _check_jalali_day(year, month, day)
    return jdatetime.date(year, month, day).togregorian()


def parse_jalali_datetime(date_text: str, time_text: str) -> datetime:
    """Read a Jalali date and a time such as ``"10:30"`` into an aware Tehran datetime."""
    day = parse_jalali_date(date_text)
    return datetime.combine(day, _parse_time(time_text), tzinfo=TEHRAN)


def _in_tehran(value: datetime) -> datetime:
    return value.astimezone(TEHRAN) if value.tzinfo else value


def _check_jalali_day(year: int, month: int, day: int) -> None:
    if not 1 <= year <= jdatetime.MAXYEAR:
        raise InvalidDate(f"سال {to_persian_digits(year)} پشتیبانی نمی‌شود.")
    if not 1 <= month <= 12:
        raise InvalidDate(f"ماه {to_persian_digits(month)} وجود ندارد؛ ماه باید از ۱ تا ۱۲ باشد.")
    length = _jalali_month_length(year, month)
    if not 1 <= day <= length:
        month_name = JALALI_MONTHS[month - 1]
        raise InvalidDate(
            to_persian_digits(
                f"{day} {month_name} {year} وجود ندارد؛ {month_name} آن سال {length} روز دارد."
            )
        )


def _jalali_month_length(year: int, month: int) -> int:
    if month == 12 and jdatetime.date(year, 1, 1).isleap():
        return 30
    return jdatetime.j_days_in_month[month - 1]


def _parse_time(text: str) -> time:
    text = (text or "").strip()
    if not text:
        raise InvalidDate("ساعت وارد نشده است.")
    match = _TIME_PATTERN.fullmatch(to_latin_digits(text))
    if not match:
        raise InvalidDate(f"ساعت «{text}» خوانا نیست؛ آن را به شکل ۱۰:۳۰ بنویسید.")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidDate(f"ساعت «{text}» وجود ندارد.")
    return time(hour, minute, second)
