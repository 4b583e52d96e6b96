"""Template filters for everything Persian a page shows, so that no template formats a
date or a number by hand. Loaded as a builtin: every template has them.

    {{ post.created_at|jdatetime }}  ۱۷ مرداد ۱۴۰۵، ساعت ۱۰:۳۰
    {{ season.arbaeen|jdate }}       ۱۳ مرداد ۱۴۰۵
    {{ season.arbaeen|jdate:"weekday" }}  سه‌شنبه ۱۳ مرداد ۱۴۰۵
    {{ season.arbaeen|jdate:"short" }}    ۱۴۰۵/۰۵/۱۳
    {{ season.arbaeen|hijri }}       ۲۰ صفر ۱۴۴۸
    {{ channel.members|fanum }}      ۱۲٬۳۴۵
    {{ code|fadigits }}              ۶۱۸۹۰۳۴
    {{ person.mobile|mask_mobile }}  ۰۹۱۲***۴۵۶۷
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

from hamafza.persian import dates, lunar
from hamafza.persian.digits import format_number, to_persian_digits

register = template.Library()


@register.filter
def jdate(value: date | datetime | None, style: str = "") -> str:
    if value in (None, ""):
        return ""
    if style == "short":
        return dates.jalali_short(value)
    return dates.jalali_date(value, with_weekday=style == "weekday")


@register.filter
def jdatetime(value: datetime | None) -> str:
    if value in (None, ""):
        return ""
    return dates.jalali_datetime(value)


@register.filter
def jtime(value: datetime | None) -> str:
    if value in (None, ""):
        return ""
    return to_persian_digits(timezone.localtime(value).strftime("%H:%M"))


@register.filter
def hijri(value: date | datetime | None) -> str:
    if value in (None, ""):
        return ""
    return lunar.format_hijri(dates.tehran_date(value))


@register.filter
def fanum(value) -> str:
    """A number for reading: Persian digits with the Persian thousands separator."""
    if value in (None, ""):
        return ""
    return format_number(value)


@register.filter
def fadigits(value) -> str:
    """Persian digits only, no separators (codes, years, phone numbers)."""
    if value is None:
        return ""
    return to_persian_digits(value)


@register.filter
def mask_mobile(value: str) -> str:
    if not value:
        return ""
    # Isolated left-to-right (LRI … PDI) so it reads the same inside Persian text.
    masked = f"{value[:4]}***{value[-4:]}" if len(value) > 8 else "***"
    return f"\u2066{to_persian_digits(masked)}\u2069"


@register.filter
def mask_national_code(value: str) -> str:
    if not value:
        return ""
    return to_persian_digits(f"***{value[-3:]}" if len(value) > 3 else "***")
