"""Lunar Hijri dates as Iran's official calendar has them.

Where a month starts is decided, in order of precedence, by:

1. an editor's override, from the provider registered with ``set_override_provider``;
2. the month table in ``data/iran-lunar-months.csv`` (1400-1449 AH, see PROVENANCE.md);
3. the Umm al-Qura calendar (``hijridate``), often a day early for Iran, so any date that
   depends on it is marked ``approximate``.

A month lasts until the next month starts, so overriding one month's first day also
changes the length of the month before it.
"""

import csv
import io
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

from hijridate import Gregorian, Hijri

from .dates import InvalidDate, tehran_date
from .digits import to_persian_digits

HIJRI_MONTHS = (
    "محرم",
    "صفر",
    "ربیع\u200cالاول",
    "ربیع\u200cالثانی",
    "جمادی\u200cالاول",
    "جمادی\u200cالثانی",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذی\u200cالقعده",
    "ذی\u200cالحجه",
)
APPROXIMATE_SUFFIX = " (تقریبی)"
# The years hijridate's Umm al-Qura table covers (1924-2077): the guesses beyond ours.
UMM_AL_QURA_FIRST, UMM_AL_QURA_LAST = (1343, 1), (1500, 12)

Month = tuple[int, int]  # (hijri_year, month 1-12)
OverrideProvider = Callable[[], Mapping[Month, date]]


class HijriDate(NamedTuple):
    year: int
    month: int
    day: int
    approximate: bool = False


_override_provider: OverrideProvider | None = None


def set_override_provider(provider: OverrideProvider | None) -> None:
    """Register a callable returning editors' overrides ``{(year, month): first_day}``.

    It is called on every conversion, so it should answer from a cache. ``None`` removes it.
    """
    global _override_provider
    _override_provider = provider


def to_hijri(value: date) -> HijriDate:
    """The lunar Hijri date of a day (aware datetimes are taken in Tehran time)."""
    day = tehran_date(value)
    starts = _month_starts()
    guess = _umm_al_qura_month(day)
    # Iran's month starts within a day or two of Umm al-Qura's, so a neighbour is the answer.
    for month in (_shift(guess, offset) for offset in (0, -1, 1, -2, 2)):
        first, first_known = _first_day(month, starts)
        end, end_known = _first_day(_shift(month, 1), starts)
        if first <= day < end:
            approximate = not (first_known and end_known)
            return HijriDate(*month, (day - first).days + 1, approximate)
    raise InvalidDate(f"تاریخ قمری روز {_persian_iso(day)} را نمی‌توان تعیین کرد.")


def from_hijri(year: int, month: int, day: int) -> date:
    """The Gregorian date of a lunar Hijri date; ``InvalidDate`` if it does not exist."""
    if not 1 <= month <= 12:
        raise InvalidDate(f"ماه {to_persian_digits(month)} وجود ندارد؛ ماه باید از ۱ تا ۱۲ باشد.")
    starts = _month_starts()
    first, _ = _first_day((year, month), starts)
    end, _ = _first_day(_shift((year, month), 1), starts)
    length = (end - first).days
    if not 1 <= day <= length:
        name = HIJRI_MONTHS[month - 1]
        raise InvalidDate(
            to_persian_digits(f"{day} {name} {year} وجود ندارد؛ {name} آن سال {length} روز دارد.")
        )
    return first + timedelta(days=day - 1)


def format_hijri(value: date | HijriDate) -> str:
    """``"۲۰ صفر ۱۴۴۸"``, with ``" (تقریبی)"`` appended when the date is approximate."""
    hijri = value if isinstance(value, HijriDate) else to_hijri(value)
    text = to_persian_digits(f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year}")
    return text + APPROXIMATE_SUFFIX if hijri.approximate else text


def override_problems(overrides: Mapping[Month, date]) -> list[str]:
    """Persian messages for overrides that would give a month other than 29 or 30 days.

    For the editing form: an empty list means the overrides are consistent.
    """
    bad_months = [month for month in overrides if not 1 <= month[1] <= 12]
    if bad_months:
        return [f"ماه {to_persian_digits(month[1])} وجود ندارد." for month in bad_months]
    starts = {**_table_starts(), **overrides}
    # An override changes its own month's length and the length of the month before it.
    touched = sorted({m for month in overrides for m in (_shift(month, -1), month)})
    return [problem for month in touched if (problem := _length_problem(month, starts))]


def _length_problem(month: Month, starts: Mapping[Month, date]) -> str | None:
    try:
        first, _ = _first_day(month, starts)
        end, _ = _first_day(_shift(month, 1), starts)
    except InvalidDate:
        return None  # beyond every calendar we know: nothing to compare with
    length = (end - first).days
    if length in (29, 30):
        return None
    name = f"{HIJRI_MONTHS[month[1] - 1]} {month[0]}"
    return to_persian_digits(
        f"طول ماه {name} با این تاریخ‌ها {length} روز می‌شود؛ ماه قمری ۲۹ یا ۳۰ روز دارد."
    )


def _month_starts() -> Mapping[Month, date]:
    overrides = _override_provider() if _override_provider else {}
    return _merged_starts(frozenset(overrides.items()))


@lru_cache(maxsize=16)
def _merged_starts(overrides: frozenset[tuple[Month, date]]) -> Mapping[Month, date]:
    return {**_table_starts(), **dict(overrides)}


@lru_cache(maxsize=1)
def _table_starts() -> dict[Month, date]:
    """First day of every month in the table, read once on first use."""
    text = (files(__package__) / "data" / "iran-lunar-months.csv").read_text(encoding="utf-8")
    starts: dict[Month, date] = {}
    for row in csv.DictReader(io.StringIO(text)):
        month = (int(row["hijri_year"]), int(row["month"]))
        starts[month] = date.fromisoformat(row["first_day_gregorian"])
        last_month, last_days = month, int(row["days"])
    # The last month's length tells us when the month after the table starts.
    starts[_shift(last_month, 1)] = starts[last_month] + timedelta(days=last_days)
    return starts


def _first_day(month: Month, starts: Mapping[Month, date]) -> tuple[date, bool]:
    """A month's first day and whether it is known (table or override) rather than guessed."""
    if month in starts:
        return starts[month], True
    return _umm_al_qura_first_day(month), False


def _umm_al_qura_first_day(month: Month) -> date:
    """A month's first day outside the table, from Umm al-Qura's."""
    guessed = _guessed_starts().get(month)
    return guessed if guessed is not None else _umm_al_qura_start(month)


@lru_cache(maxsize=1)
def _guessed_starts() -> dict[Month, date]:
    """Umm al-Qura's month starts beyond the table, kept to months of 29 or 30 days: its
    early years (before about 1356 AH) have months of 28 and 31. Walking away from the
    table, each start is Umm al-Qura's, moved the least that keeps the month before (or
    after) it 29 or 30 days long."""
    table = _table_starts()
    first, last = min(table), max(table)
    guessed: dict[Month, date] = {}
    after, month = table[last], _shift(last, 1)
    while month <= UMM_AL_QURA_LAST:
        after = _clamped(_umm_al_qura_start(month), after + timedelta(29), after + timedelta(30))
        guessed[month], month = after, _shift(month, 1)
    before, month = table[first], _shift(first, -1)
    while month >= UMM_AL_QURA_FIRST:
        before = _clamped(_umm_al_qura_start(month), before - timedelta(30), before - timedelta(29))
        guessed[month], month = before, _shift(month, -1)
    return guessed


def _clamped(day: date, low: date, high: date) -> date:
    return min(max(day, low), high)


def _umm_al_qura_start(month: Month) -> date:
    year, number = month
    try:
        first = Hijri(year, number, 1).to_gregorian()
    except OverflowError:
        raise InvalidDate(f"سال قمری {to_persian_digits(year)} پشتیبانی نمی‌شود.") from None
    return date(first.year, first.month, first.day)


def _umm_al_qura_month(day: date) -> Month:
    try:
        hijri = Gregorian.fromdate(day).to_hijri()
    except OverflowError:
        raise InvalidDate(f"روز {_persian_iso(day)} بیرون از بازهٔ تقویم قمری است.") from None
    return hijri.year, hijri.month


def _shift(month: Month, offset: int) -> Month:
    year, index = divmod(month[0] * 12 + month[1] - 1 + offset, 12)
    return year, index + 1


def _persian_iso(day: date) -> str:
    return to_persian_digits(day.isoformat())
