from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamafza.core.audit import audit
from hamafza.core.permissions import require
from hamafza.persian.lunar import from_hijri, override_problems

from .models import LunarMonthOverride


def _locked_overrides() -> dict:
    """Every correction, read under a lock: two editors cannot each pass the month-length
    check against what the other is changing."""
    rows = LunarMonthOverride.objects.select_for_update().values_list(
        "hijri_year", "month", "first_day"
    )
    return {(year, month): first for year, month, first in rows}


@transaction.atomic
def lunar_month_override(
    *,
    actor,
    hijri_year: int,
    month: int,
    first_day: date,
    note: str = "",
    following_months: int = 0,
) -> LunarMonthOverride:
    """Set the first day of a lunar month, refusing a day that would make any month other
    than 29 or 30 days long. When the moon was seen a day off, the months after it often
    move by the same day: `following_months` moves that many of them by the same amount,
    checked together."""
    require(actor, "calendar.edit")
    if not 0 <= following_months <= 11:
        raise ValidationError(
            {"following_months": _("از ۰ تا ۱۱ ماه بعد را می‌توان با آن جابه‌جا کرد.")}
        )
    shift = first_day - from_hijri(hijri_year, month, 1)
    moved = {(hijri_year, month): first_day}
    for step in range(1, following_months + 1):
        year, index = divmod(hijri_year * 12 + month - 1 + step, 12)
        moved[(year, index + 1)] = from_hijri(year, index + 1, 1) + shift
    proposed = {**_locked_overrides(), **moved}
    if problems := override_problems(proposed):
        raise ValidationError({"first_day": problems})
    override = None
    for (year, number), day in moved.items():
        row, _created = LunarMonthOverride.objects.update_or_create(
            hijri_year=year,
            month=number,
            defaults={"first_day": day, "note": note, "created_by": actor},
        )
        override = override or row
        audit(
            actor=actor,
            action="occasions.lunar_month.overridden",
            target=row,
            data={"year": year, "month": number, "first_day": day.isoformat()},
        )
    return override


@transaction.atomic
def lunar_month_override_remove(*, actor, override: LunarMonthOverride) -> None:
    require(actor, "calendar.edit")
    remaining = _locked_overrides()
    remaining.pop((override.hijri_year, override.month), None)
    # Going back to the official day can still leave a month of 28 or 31 days beside
    # other corrections: check what remains.
    if problems := override_problems(remaining):
        raise ValidationError(problems)
    audit(actor=actor, action="occasions.lunar_month.restored", target=override)
    override.delete()
