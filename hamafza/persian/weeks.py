"""Jalali months and Iranian weeks as a calendar page lays them out: weeks run from
Saturday (شنبه) to Friday (جمعه), months are the Jalali ones (Esfand has 30 days in a
leap year). Every function takes and returns Gregorian ``date`` objects, so callers
query their data in one calendar and show it in the other."""

from datetime import date, timedelta

import jdatetime

from .dates import JALALI_MONTHS

# The Iranian week in its own order, Saturday first.
WEEKDAYS = (
    "شنبه",
    "یکشنبه",
    "دوشنبه",
    "سه\u200cشنبه",
    "چهارشنبه",
    "پنج\u200cشنبه",
    "جمعه",
)
_SATURDAY = 5  # date.weekday() counts from Monday


def week_start(day: date) -> date:
    """The Saturday on or before ``day``."""
    return day - timedelta(days=(day.weekday() - _SATURDAY) % 7)


def week_days(day: date) -> list[date]:
    """The seven days, Saturday to Friday, of the week holding ``day``."""
    first = week_start(day)
    return [first + timedelta(days=i) for i in range(7)]


def jalali_parts(day: date) -> tuple[int, int, int]:
    """(year, month, day) of ``day`` in the Jalali calendar."""
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month, j.day


def month_bounds(day: date) -> tuple[date, date]:
    """The first and the last day of the Jalali month holding ``day``."""
    year, month, _day = jalali_parts(day)
    first = jdatetime.date(year, month, 1).togregorian()
    return first, next_month(day) - timedelta(days=1)


def next_month(day: date) -> date:
    """The first day of the Jalali month after the one holding ``day``."""
    year, month, _day = jalali_parts(day)
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return jdatetime.date(year, month, 1).togregorian()


def previous_month(day: date) -> date:
    """The first day of the Jalali month before the one holding ``day``."""
    year, month, _day = jalali_parts(day)
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return jdatetime.date(year, month, 1).togregorian()


def month_weeks(day: date) -> list[list[date]]:
    """The weeks (Saturday to Friday) that cover the Jalali month holding ``day``; the
    first and the last week run into the months beside it."""
    first, last = month_bounds(day)
    start, weeks = week_start(first), []
    while start <= last:
        weeks.append([start + timedelta(days=i) for i in range(7)])
        start += timedelta(days=7)
    return weeks


def month_title(day: date) -> str:
    """``"آذر ۱۴۰۵"``: the Jalali month holding ``day`` and its year, in Latin digits
    (the caller converts what it shows)."""
    year, month, _day = jalali_parts(day)
    return f"{JALALI_MONTHS[month - 1]} {year}"


def iso_jalali(day: date) -> str:
    """``"1405-09-12"``: the form a calendar's address carries (Latin digits)."""
    year, month, dd = jalali_parts(day)
    return f"{year:04d}-{month:02d}-{dd:02d}"
