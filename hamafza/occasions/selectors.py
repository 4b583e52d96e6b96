import time
from datetime import date

from hamafza.persian.lunar import HIJRI_MONTHS, Month, from_hijri, to_hijri

from .models import LunarMonthOverride

# Conversions ask for the overrides constantly; they change a few times a year. Each
# process keeps them for a minute, and the process that saves one forgets at once.
_TTL_SECONDS = 60
_cached: tuple[float, dict[Month, date]] | None = None


def lunar_overrides() -> dict[Month, date]:
    global _cached
    now = time.monotonic()
    if _cached is None or now - _cached[0] > _TTL_SECONDS:
        rows = LunarMonthOverride.objects.values_list("hijri_year", "month", "first_day")
        _cached = (now, {(year, month): first for year, month, first in rows})
    return _cached[1]


def forget_lunar_overrides(**_signal_kwargs) -> None:
    global _cached
    _cached = None


def lunar_months_around(today: date, before: int = 2, after: int = 14) -> list[dict]:
    """The lunar months around today with their first day, length and where the first
    day comes from, for the calendar editor's page."""
    overrides = {(o.hijri_year, o.month): o for o in LunarMonthOverride.objects.all()}
    current = to_hijri(today)
    index = current.year * 12 + current.month - 1
    months = []
    for i in range(index - before, index + after):
        year, month = divmod(i, 12)
        month += 1
        first = from_hijri(year, month, 1)
        next_year, next_month = divmod(i + 1, 12)
        length = (from_hijri(next_year, next_month + 1, 1) - first).days
        months.append(
            {
                "year": year,
                "month": month,
                "name": HIJRI_MONTHS[month - 1],
                "first_day": first,
                "length": length,
                "override": overrides.get((year, month)),
                "approximate": to_hijri(first).approximate,
                "is_current": i == index,
            }
        )
    return months
